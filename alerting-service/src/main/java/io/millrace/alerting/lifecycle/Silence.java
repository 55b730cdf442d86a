package io.millrace.alerting.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A silence: alerts whose labels meet every matcher are not notified between
 * {@code startsAt} (inclusive) and {@code endsAt} (exclusive). It suppresses
 * notifications only: rules are still evaluated, alerts still change state and are still
 * published to the {@code alerts} topic, so when the silence ends the receivers hear
 * about the alerts that are then firing, and nothing is lost.
 *
 * @param id stable id (the API assigns one)
 * @param matchers conditions on the alert's labels, all of which must hold
 * @param startsAt when it starts
 * @param endsAt when it ends
 * @param createdBy who made it
 * @param comment why
 */
public record Silence(String id, List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
		String comment) {

	public Silence {
		matchers = (matchers != null) ? List.copyOf(matchers) : List.of();
	}

	/**
	 * Where this silence is in time.
	 * @param now the time
	 * @return pending, active or expired
	 */
	public SilenceState stateAt(Instant now) {
		if (now.isBefore(this.startsAt)) {
			return SilenceState.PENDING;
		}
		return now.isBefore(this.endsAt) ? SilenceState.ACTIVE : SilenceState.EXPIRED;
	}

	/**
	 * Whether this silence covers an alert with these labels now.
	 * @param labels the alert's labels
	 * @param now the time
	 * @return true when active and every matcher matches
	 */
	public boolean silences(Map<String, String> labels, Instant now) {
		return stateAt(now) == SilenceState.ACTIVE
				&& this.matchers.stream().allMatch((matcher) -> matcher.matches(labels.get(matcher.name())));
	}

	/**
	 * This silence ended now, as an early expiry does: it stays listed, with who made it
	 * and why. One that has not started yet ends before it starts.
	 * @param now the time
	 * @return the expired silence; this one when it has expired already
	 */
	public Silence expiredAt(Instant now) {
		if (stateAt(now) == SilenceState.EXPIRED) {
			return this;
		}
		Instant start = this.startsAt.isAfter(now) ? now : this.startsAt;
		return new Silence(this.id, this.matchers, start, now, this.createdBy, this.comment);
	}

}
