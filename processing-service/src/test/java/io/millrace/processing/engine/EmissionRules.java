package io.millrace.processing.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowAggregate.WindowKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every window's sequence of results obeys, as docs/architecture.md states
 * them, checked on the results alone so that the oracle and the recovery test share them:
 * <ul>
 * <li>revisions run 0, 1, 2, … in emission order; exactly one final, and it is the
 * last;</li>
 * <li>timings run early…, then at most one on-time, then late…; the final is on time
 * without allowed lateness and late with it;</li>
 * <li>tumbling and hopping windows with allowed lateness: every early or late update
 * shows more readings than the result before it, and the final shows no reading that the
 * last non-final result did not (nothing waits for the final to be seen);</li>
 * <li>sliding and session windows: one result, final, revision 0.</li>
 * </ul>
 * A record repeating an earlier one's window and revision must be identical to it (a
 * re-send after recovery) and is dropped before the rules apply. A window without a final
 * yet (still open when the output was read) is held to the rules of its results so far.
 */
public final class EmissionRules {

	private final boolean lateness;

	private final Map<WindowKey, List<WindowAggregate>> byWindow = new LinkedHashMap<>();

	/**
	 * @param lateness whether the engine ran with allowed lateness above zero
	 */
	public EmissionRules(boolean lateness) {
		this.lateness = lateness;
	}

	/**
	 * Take results in the order one partition of the output emitted them.
	 * @param results the results
	 * @return this
	 */
	public EmissionRules addAll(List<WindowAggregate> results) {
		for (WindowAggregate result : results) {
			List<WindowAggregate> sequence = this.byWindow.computeIfAbsent(result.key(), (key) -> new ArrayList<>());
			WindowAggregate resent = sequence.stream()
				.filter((earlier) -> earlier.revision() == result.revision())
				.findFirst()
				.orElse(null);
			if (resent != null) {
				assertThat(withoutEmissionTime(result)).as("a repeated revision of %s is a re-send", result.key())
					.isEqualTo(withoutEmissionTime(resent));
				continue;
			}
			sequence.add(result);
		}
		return this;
	}

	/** The sequences, by window, without re-sends. */
	public Map<WindowKey, List<WindowAggregate>> sequences() {
		return this.byWindow;
	}

	/**
	 * Check every window's sequence.
	 * @param where what to name in a failure
	 * @return the number of windows that have their final
	 */
	public int assertObeyed(String where) {
		this.byWindow.forEach((key, sequence) -> assertSequence(key, sequence, where));
		return (int) this.byWindow.values()
			.stream()
			.filter((sequence) -> sequence.get(sequence.size() - 1).isFinal())
			.count();
	}

	private void assertSequence(WindowKey key, List<WindowAggregate> sequence, String where) {
		String what = where + " " + key + " " + describe(sequence);
		for (int i = 0; i < sequence.size(); i++) {
			assertThat(sequence.get(i).revision()).as("revision of result %d of %s", i, what).isEqualTo(i);
			if (i < sequence.size() - 1) {
				assertThat(sequence.get(i).isFinal()).as("only the last result is final: %s", what).isFalse();
			}
		}
		WindowAggregate last = sequence.get(sequence.size() - 1);
		boolean closed = last.isFinal();
		if (closed) {
			assertThat(last.timing()).as("timing of the final of %s", what)
				.isEqualTo(this.lateness ? WindowAggregate.LATE : WindowAggregate.ON_TIME);
		}
		boolean aligned = key.kind().equals("tumbling") || key.kind().equals("hopping");
		if (!closed) {
			assertThat(aligned).as("only tumbling and hopping windows have results before their final: %s", what)
				.isTrue();
		}
		else if (!aligned || !this.lateness) {
			assertThat(sequence.stream().filter((result) -> !result.timing().equals(WindowAggregate.EARLY)))
				.as("one result after the early ones: %s", what)
				.hasSize(1);
			return;
		}
		int phase = 0;
		int onTime = 0;
		for (int i = 0; i < sequence.size(); i++) {
			WindowAggregate result = sequence.get(i);
			int resultPhase = switch (result.timing()) {
				case WindowAggregate.EARLY -> 0;
				case WindowAggregate.ON_TIME -> 1;
				case WindowAggregate.LATE -> 2;
				default -> throw new AssertionError("unknown timing in " + what);
			};
			assertThat(resultPhase).as("early, then on time, then late: %s", what).isGreaterThanOrEqualTo(phase);
			phase = resultPhase;
			onTime += (resultPhase == 1) ? 1 : 0;
			if (i > 0 && resultPhase != 1 && !result.isFinal()) {
				assertThat(result.count()).as("an early or late update shows new readings: %s", what)
					.isGreaterThan(sequence.get(i - 1).count());
			}
		}
		assertThat(onTime).as("at most one on-time result: %s", what).isLessThanOrEqualTo(1);
		if (!closed) {
			return;
		}
		assertThat(sequence).as("a non-final result before the final: %s", what).hasSizeGreaterThan(1);
		assertThat(last.count()).as("the final shows no reading the last non-final result did not: %s", what)
			.isEqualTo(sequence.get(sequence.size() - 2).count());
	}

	private static String describe(List<WindowAggregate> sequence) {
		StringBuilder text = new StringBuilder("[");
		for (WindowAggregate result : sequence) {
			text.append(' ')
				.append(result.timing())
				.append(result.isFinal() ? "/final" : "")
				.append(" r")
				.append(result.revision())
				.append(" n=")
				.append(result.count());
		}
		return text.append(" ]").toString();
	}

	static WindowAggregate withoutEmissionTime(WindowAggregate aggregate) {
		return new WindowAggregate(aggregate.sensorId(), aggregate.metric(), aggregate.window(), aggregate.count(),
				aggregate.sum(), aggregate.min(), aggregate.max(), aggregate.avg(), aggregate.stddev(), aggregate.p50(),
				aggregate.p95(), aggregate.p99(), aggregate.firstValue(), aggregate.lastValue(), aggregate.isFinal(),
				aggregate.revision(), aggregate.timing(), null);
	}

}
