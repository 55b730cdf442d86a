package io.millrace.lakehouse.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.silver.Expectation;
import io.millrace.lakehouse.silver.SilverListener;

/**
 * Silver's own metrics: expectation results per rule and action (counted when their
 * quality rows are committed), stops by {@code fail} rules, duplicates and unusable
 * events left out.
 */
final class SilverMetrics implements SilverListener {

	private final MeterRegistry registry;

	private final Counter duplicates;

	SilverMetrics(MeterRegistry registry, Iterable<Expectation> expectations) {
		this.registry = registry;
		this.duplicates = Counter.builder("millrace.lakehouse.silver.duplicates")
			.description("Events left out of Silver because their eventId was admitted within the dedupe horizon")
			.register(registry);
		for (Expectation expectation : expectations) {
			rows(expectation, "passed").increment(0);
			rows(expectation, "failed").increment(0);
			if (expectation.action() == Expectation.Action.FAIL) {
				stops(expectation).increment(0);
			}
		}
		invalidCounter("no-metrics").increment(0);
	}

	private Counter rows(Expectation expectation, String outcome) {
		return Counter.builder("millrace.lakehouse.expectation.rows")
			.description("Silver readings checked by an expectation, by rule, action and outcome (passed, failed); "
					+ "failed drop readings are in the quarantine table")
			.tag("rule", expectation.name())
			.tag("action", expectation.action().label())
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private Counter stops(Expectation expectation) {
		return Counter.builder("millrace.lakehouse.expectation.stops")
			.description("Times a fail expectation stopped the Silver input (each retry of the held record counts)")
			.tag("rule", expectation.name())
			.register(this.registry);
	}

	private Counter invalidCounter(String reason) {
		return Counter.builder("millrace.lakehouse.silver.invalid")
			.description("Events left out of Silver because they have no usable measurement, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

	@Override
	public void duplicate() {
		this.duplicates.increment();
	}

	@Override
	public void invalid(String reason) {
		invalidCounter(reason).increment();
	}

	@Override
	public void expectationResults(Expectation expectation, long passed, long failed) {
		rows(expectation, "passed").increment(passed);
		rows(expectation, "failed").increment(failed);
	}

	@Override
	public void stopped(Expectation expectation) {
		stops(expectation).increment();
	}

}
