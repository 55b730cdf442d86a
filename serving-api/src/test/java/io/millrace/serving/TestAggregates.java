package io.millrace.serving;

import java.time.Duration;
import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/** Window aggregates for tests. */
public final class TestAggregates {

	public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private TestAggregates() {
	}

	/**
	 * A one-minute tumbling window starting {@code minute} minutes after {@link #T0},
	 * with two readings {@code max - 1} and {@code max}.
	 */
	public static WindowAggregate minute(String sensor, String metric, int minute, double max, boolean isFinal,
			int revision) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, metric, window, 2, 2 * max - 1, max - 1, max, max - 0.5, 0.5, max - 0.5, max,
				max, max - 1, max, isFinal, revision, isFinal ? WindowAggregate.ON_TIME : WindowAggregate.EARLY,
				T0.plusSeconds(60L * minute + 65));
	}

}
