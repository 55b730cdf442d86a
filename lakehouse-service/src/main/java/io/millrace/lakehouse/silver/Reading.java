package io.millrace.lakehouse.silver;

import java.util.Map;

/**
 * One (event, metric) of {@code telemetry-raw}, validated, standardized and enriched: a
 * Silver row before its expectations decide where it goes.
 *
 * @param eventId the event's id, or {@code null} when its producer gave none
 * @param sensorId the sensor
 * @param eventTimeMicros event time, UTC microseconds
 * @param metric the canonical metric name
 * @param sourceMetric the metric name as the event had it
 * @param value the measurement
 * @param unit the unit from the sensor registry, or {@code null}
 * @param sensorName the sensor's name from the registry, or {@code null}
 * @param location the registry's site, or {@code null}
 * @param latitude the registry's latitude, or {@code null}
 * @param longitude the registry's longitude, or {@code null}
 * @param sensorTags the registry's tags, or {@code null} when the registry does not know
 * the sensor
 * @param eventTags the event's own tags, or {@code null}
 * @param ingestedAtMicros when ingest took the event, or {@code null}
 * @param sourcePartition the input partition
 * @param sourceOffset the record's offset
 * @param writtenAtMicros when the lakehouse took the record
 */
public record Reading(String eventId, String sensorId, long eventTimeMicros, String metric, String sourceMetric,
		double value, String unit, String sensorName, String location, Double latitude, Double longitude,
		Map<String, String> sensorTags, Map<String, String> eventTags, Long ingestedAtMicros, String sourcePartition,
		long sourceOffset, long writtenAtMicros) {

	/**
	 * The value of a column that expectations may name.
	 * @param column a column of {@link ExpectationParser#COLUMNS}
	 * @return a {@code Double} or a {@code String}, or {@code null}
	 */
	Object column(String column) {
		return switch (column) {
			case "value" -> this.value;
			case "latitude" -> this.latitude;
			case "longitude" -> this.longitude;
			case "metric" -> this.metric;
			case "source_metric" -> this.sourceMetric;
			case "sensor_id" -> this.sensorId;
			case "event_id" -> this.eventId;
			case "unit" -> this.unit;
			case "sensor_name" -> this.sensorName;
			case "location" -> this.location;
			default -> throw new IllegalArgumentException("Unknown column " + column);
		};
	}

}
