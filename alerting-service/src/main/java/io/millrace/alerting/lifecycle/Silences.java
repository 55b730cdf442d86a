package io.millrace.alerting.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The silences, asked before each notification: {@link #isSilenced}. They do not touch
 * evaluation: the engine's transitions happen and are published whether or not a silence
 * covers them; the caller skips the webhook for a silenced one. When a silence expires,
 * the next transition is notified again (an alert that fired during the silence and is
 * still firing is not re-sent by this class; its resolve will be).
 * <p>
 * Thread-safe: the API and the notifier share it.
 */
public final class Silences {

	private final Map<String, Silence> silences = new TreeMap<>();

	/**
	 * Add or replace a silence.
	 * @param silence the silence
	 * @return the errors; the silence is stored only when there are none
	 */
	public synchronized List<FieldError> put(Silence silence) {
		List<FieldError> errors = SilenceValidator.validate(silence);
		if (errors.isEmpty()) {
			this.silences.put(silence.id(), silence);
		}
		return errors;
	}

	/**
	 * Replace every silence with these (for example when loading from storage). Invalid
	 * ones are skipped.
	 * @param loaded the silences
	 * @return the ids of the ones skipped
	 */
	public synchronized List<String> replaceAll(Collection<Silence> loaded) {
		this.silences.clear();
		List<String> skipped = new ArrayList<>();
		for (Silence silence : loaded) {
			if (!put(silence).isEmpty()) {
				skipped.add(silence.id());
			}
		}
		return skipped;
	}

	/**
	 * End a silence now: it stays listed, as expired, with who made it and why.
	 * @param id the silence
	 * @param now the time
	 * @return the expired silence, empty when there is no such silence
	 */
	public synchronized Optional<Silence> expire(String id, Instant now) {
		Silence silence = this.silences.get(id);
		if (silence == null) {
			return Optional.empty();
		}
		Silence expired = silence.expiredAt(now);
		this.silences.put(id, expired);
		return Optional.of(expired);
	}

	/**
	 * Forget a silence altogether.
	 * @param id the silence
	 * @return whether there was one
	 */
	public synchronized boolean delete(String id) {
		return this.silences.remove(id) != null;
	}

	/**
	 * Whether an alert with these labels is silenced now.
	 * @param labels the alert's labels
	 * @param now the time
	 * @return true when an active silence matches it
	 */
	public synchronized boolean isSilenced(Map<String, String> labels, Instant now) {
		return this.silences.values().stream().anyMatch((silence) -> silence.silences(labels, now));
	}

	/**
	 * The active silences that cover an alert, to say why it was not notified.
	 * @param labels the alert's labels
	 * @param now the time
	 * @return their ids
	 */
	public synchronized List<String> silencing(Map<String, String> labels, Instant now) {
		return this.silences.values()
			.stream()
			.filter((silence) -> silence.silences(labels, now))
			.map(Silence::id)
			.toList();
	}

	/**
	 * Every silence with its state, active first, then pending, then expired; newest end
	 * first within each.
	 * @param now the time
	 * @return the listing
	 */
	public synchronized List<Listed> list(Instant now) {
		return this.silences.values()
			.stream()
			.map((silence) -> new Listed(silence, silence.stateAt(now)))
			.sorted(Comparator.comparing((Listed listed) -> order(listed.state()))
				.thenComparing((Listed listed) -> listed.silence().endsAt(), Comparator.reverseOrder())
				.thenComparing((Listed listed) -> listed.silence().id()))
			.toList();
	}

	/**
	 * The silences in one state.
	 * @param state the state
	 * @param now the time
	 * @return them, as {@link #list} orders them
	 */
	public List<Silence> inState(SilenceState state, Instant now) {
		return list(now).stream().filter((listed) -> listed.state() == state).map(Listed::silence).toList();
	}

	private static int order(SilenceState state) {
		return switch (state) {
			case ACTIVE -> 0;
			case PENDING -> 1;
			case EXPIRED -> 2;
		};
	}

	/**
	 * A silence and where it is in time.
	 *
	 * @param silence the silence (with createdBy and comment)
	 * @param state its state at the time of listing
	 */
	public record Listed(Silence silence, SilenceState state) {
	}

}
