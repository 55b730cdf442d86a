package io.millrace.model.aggregate;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Statistics of one metric of one sensor over one window of event time. Consumers upsert
 * on the {@link #key() window key}: a later record for the same key (a higher
 * {@code revision}, or {@code final=true}) replaces the earlier one.
 *
 * @param sensorId the sensor
 * @param metric the metric name
 * @param window the event-time interval
 * @param count number of readings in the window
 * @param sum sum of the readings
 * @param min smallest reading
 * @param max largest reading
 * @param avg arithmetic mean
 * @param stddev population standard deviation, when computed
 * @param p50 median estimate, when a quantile sketch is on
 * @param p95 95th percentile estimate, when a quantile sketch is on
 * @param p99 99th percentile estimate, when a quantile sketch is on
 * @param firstValue reading with the earliest event time, when computed
 * @param lastValue reading with the latest event time, when computed
 * @param isFinal {@code true} once the window is closed and this result will not change
 * @param revision {@value #REVISION_RULE}
 * @param timing when this result was emitted relative to the watermark: {@value #EARLY},
 * {@value #ON_TIME} or {@value #LATE}
 * @param emittedAt processing time of the emission
 * @param sketch the mergeable quantile sketch p50/p95/p99 were read from, when processing
 * emits sketches (optional, added later: readers that do not know it ignore it); bins and
 * ranges merge these rather than combine percentiles
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowAggregate(String sensorId, String metric, AggregateWindow window, long count, double sum,
		double min, double max, double avg, Double stddev, Double p50, Double p95, Double p99, Double firstValue,
		Double lastValue, @JsonProperty("final") boolean isFinal, int revision, String timing, Instant emittedAt,
		WindowSketch sketch) {

	/**
	 * An aggregate without a sketch (as before the sketch was added to the contract).
	 * @param sensorId the sensor
	 * @param metric the metric name
	 * @param window the event-time interval
	 * @param count number of readings
	 * @param sum sum of the readings
	 * @param min smallest reading
	 * @param max largest reading
	 * @param avg arithmetic mean
	 * @param stddev population standard deviation, when computed
	 * @param p50 median estimate
	 * @param p95 95th percentile estimate
	 * @param p99 99th percentile estimate
	 * @param firstValue first reading by event time
	 * @param lastValue last reading by event time
	 * @param isFinal whether the window is closed
	 * @param revision {@value #REVISION_RULE}
	 * @param timing early, on-time or late
	 * @param emittedAt processing time of the emission
	 */
	public WindowAggregate(String sensorId, String metric, AggregateWindow window, long count, double sum, double min,
			double max, double avg, Double stddev, Double p50, Double p95, Double p99, Double firstValue,
			Double lastValue, boolean isFinal, int revision, String timing, Instant emittedAt) {
		this(sensorId, metric, window, count, sum, min, max, avg, stddev, p50, p95, p99, firstValue, lastValue, isFinal,
				revision, timing, emittedAt, null);
	}

	/** The rule docs/architecture.md states in the same words. */
	public static final String REVISION_RULE = "the number of results emitted for this window before this one: "
			+ "the first is 0, each later one is one more, and the final, always the last, has the highest";

	/** Emitted before the watermark reached the window's end (an early result). */
	public static final String EARLY = "early";

	/**
	 * Emitted when the watermark reached the window's end: exactly once for every window
	 * that held readings then.
	 */
	public static final String ON_TIME = "on-time";

	/**
	 * Emitted after the watermark passed the window's end: a late reading's update, or
	 * the final when allowed lateness is above zero.
	 */
	public static final String LATE = "late";

	/**
	 * @param windowSketch the sketch to carry, or {@code null} for none
	 * @return this aggregate with that sketch
	 */
	public WindowAggregate withSketch(WindowSketch windowSketch) {
		return new WindowAggregate(this.sensorId, this.metric, this.window, this.count, this.sum, this.min, this.max,
				this.avg, this.stddev, this.p50, this.p95, this.p99, this.firstValue, this.lastValue, this.isFinal,
				this.revision, this.timing, this.emittedAt, windowSketch);
	}

	/**
	 * The identity consumers upsert on.
	 * @return sensor, metric, window kind, start and end
	 */
	public WindowKey key() {
		return new WindowKey(this.sensorId, this.metric, this.window.kind(), this.window.start(), this.window.end());
	}

	/**
	 * Identity of one window of one metric of one sensor.
	 *
	 * @param sensorId the sensor
	 * @param metric the metric
	 * @param kind the window kind
	 * @param start inclusive start
	 * @param end exclusive end
	 */
	public record WindowKey(String sensorId, String metric, String kind, Instant start, Instant end) {
	}

}
