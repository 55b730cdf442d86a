package io.millrace.processing.engine;

import java.time.Clock;
import java.time.Instant;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * What every store needs to emit: the allowed lateness, the sketch accuracy and the
 * processing-time clock for {@code emittedAt}.
 *
 * @param allowedLateness allowed lateness in milliseconds
 * @param quantileAccuracy sketch accuracy, 0 for none
 * @param clock processing-time clock
 */
record Emission(long allowedLateness, double quantileAccuracy, Clock clock) {

	Statistics newStatistics() {
		return new Statistics(this.quantileAccuracy);
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
