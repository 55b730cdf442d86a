package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;

/**
 * Fixed-size, non-overlapping windows aligned to the epoch. Intervals are half-open
 * {@code [start, end)}: an event stamped exactly at a window's end belongs to the next
 * window.
 */
public final class TumblingWindows {

	private final Duration size;

	private final long sizeMillis;

	private TumblingWindows(Duration size) {
		if (size.isNegative() || size.isZero() || size.toMillis() == 0) {
			throw new IllegalArgumentException("Window size must be at least 1 ms, got " + size);
		}
		this.size = size;
		this.sizeMillis = size.toMillis();
	}

	/**
	 * Tumbling windows of the given size.
	 * @param size the window length
	 * @return the assigner
	 */
	public static TumblingWindows of(Duration size) {
		return new TumblingWindows(size);
	}

	/**
	 * The window an instant of event time falls in.
	 * @param eventTime the event time
	 * @return the window containing it
	 */
	public AggregateWindow windowOf(Instant eventTime) {
		long start = Math.floorDiv(eventTime.toEpochMilli(), this.sizeMillis) * this.sizeMillis;
		return AggregateWindow.tumbling(Instant.ofEpochMilli(start), this.size);
	}

	public Duration size() {
		return this.size;
	}

}
