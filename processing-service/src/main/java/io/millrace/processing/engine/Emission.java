package io.millrace.processing.engine;

import java.time.Clock;
import java.time.Instant;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * What every store needs to emit: the allowed lateness, the sketch bucketing and the
 * processing-time clock for {@code emittedAt}.
 *
 * @param allowedLateness allowed lateness in milliseconds
 * @param sketch the bucketing every window's sketch shares, or null for no quantiles
 * @param clock processing-time clock
 */
record Emission(long allowedLateness, SketchMapping sketch, Clock clock) {

	/**
	 * The emission rules of a configuration.
	 * @param allowedLateness allowed lateness in milliseconds
	 * @param quantileAccuracy sketch accuracy, 0 for none
	 * @param clock processing-time clock
	 * @return the rules
	 */
	static Emission of(long allowedLateness, double quantileAccuracy, Clock clock) {
		return new Emission(allowedLateness, (quantileAccuracy > 0) ? new SketchMapping(quantileAccuracy) : null,
				clock);
	}

	Statistics newStatistics() {
		return new Statistics(this.sketch);
	}

	/**
	 * The sketch key of a reading, computed once for every window it goes to.
	 * @param value the reading
	 * @return its key, 0 without sketches
	 */
	int sketchKeyOf(double value) {
		return (this.sketch != null) ? this.sketch.keyOf(value) : 0;
	}

	/**
	 * The timing of a final result emitted when the watermark passes {@code end +
	 * allowedLateness}: on time without lateness, late with it.
	 */
	String finalTiming() {
		return (this.allowedLateness > 0) ? WindowAggregate.LATE : WindowAggregate.ON_TIME;
	}

	Instant now() {
		return this.clock.instant();
	}

}
