package io.millrace.processing.engine;

import java.time.Clock;
import java.time.Instant;

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

	Instant now() {
		return this.clock.instant();
	}

}
