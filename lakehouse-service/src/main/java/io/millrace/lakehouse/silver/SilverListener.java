package io.millrace.lakehouse.silver;

/** What Silver reports, for metrics. Implementations only count. */
public interface SilverListener {

	SilverListener NONE = new SilverListener() {
	};

	/** An event whose id was admitted within the horizon was left out. */
	default void duplicate() {
	}

	/**
	 * An event was left out of Silver because it is not usable.
	 * @param reason {@code no-metrics}, {@code bad-metric-name}
	 */
	default void invalid(String reason) {
	}

	/**
	 * Committed expectation results.
	 * @param expectation the rule
	 * @param passed readings that met it
	 * @param failed readings that did not
	 */
	default void expectationResults(Expectation expectation, long passed, long failed) {
	}

	/**
	 * A {@code fail} expectation stopped the pipeline.
	 * @param expectation the rule
	 */
	default void stopped(Expectation expectation) {
	}

}
