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
 * @param revision grows with each emission of the same window, starting at 0
 * @param emittedAt processing time of the emission
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowAggregate(String sensorId, String metric, AggregateWindow window, long count, double sum,
		double min, double max, double avg, Double stddev, Double p50, Double p95, Double p99, Double firstValue,
		Double lastValue, @JsonProperty("final") boolean isFinal, int revision, Instant emittedAt) {

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
