package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * Event-time progress: the largest event time seen minus the disorder we tolerate. A
 * window whose end is at or before the watermark is complete; an event older than the
 * watermark may belong to a window that was already emitted.
 */
public final class BoundedOutOfOrdernessWatermark {

	private final Duration maxOutOfOrderness;

	private Instant maxEventTime;

	/**
	 * A watermark.
	 * @param maxOutOfOrderness how far behind the newest event an event may arrive and
	 * still be counted in its window
	 */
	public BoundedOutOfOrdernessWatermark(Duration maxOutOfOrderness) {
		if (maxOutOfOrderness.isNegative()) {
			throw new IllegalArgumentException("Out-of-orderness must not be negative, got " + maxOutOfOrderness);
		}
		this.maxOutOfOrderness = maxOutOfOrderness;
	}

	/**
	 * Account for an event.
	 * @param eventTime its event time
	 */
	public void observe(Instant eventTime) {
		if (this.maxEventTime == null || eventTime.isAfter(this.maxEventTime)) {
			this.maxEventTime = eventTime;
		}
	}

	/**
	 * The current watermark.
	 * @return the watermark, {@link Instant#MIN} before the first event
	 */
	public Instant current() {
		return (this.maxEventTime != null) ? this.maxEventTime.minus(this.maxOutOfOrderness) : Instant.MIN;
	}

}
