package io.millrace.model.telemetry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One reading (or one set of readings) from one sensor at one instant of event time.
 * <p>
 * Canonical JSON is camelCase; the snake_case names that devices already send
 * ({@code sensor_id}, {@code event_id}, ...) are accepted as aliases. A reading carries
 * either a single {@code value} (metric name {@value #DEFAULT_METRIC}) or a
 * {@code measurements} object of metric name to number, or both.
 *
 * @param eventId unique id; optional from the client, assigned by ingest (UUIDv7)
 * otherwise
 * @param sensorId the sensor; also the message key on every topic
 * @param timestamp event time, RFC 3339
 * @param value the reading of metric {@value #DEFAULT_METRIC}, if any
 * @param measurements readings by metric name, if any
 * @param tags free-form labels of the reading
 * @param schemaVersion version of this contract the producer wrote
 * @param ingestedAt when ingest accepted the event (server time)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryEvent(@JsonAlias("event_id") String eventId, @JsonAlias("sensor_id") String sensorId,
		@JsonAlias( {
				"event_time", "eventTime" }) Instant timestamp,
		Double value, Map<String, Double> measurements, Map<String, String> tags,
		@JsonAlias("schema_version") Integer schemaVersion, @JsonAlias("ingested_at") Instant ingestedAt){

	/** Metric name of the single {@code value} field. */
	public static final String DEFAULT_METRIC = "value";

	/** The contract version this code writes. */
	public static final int CURRENT_SCHEMA_VERSION = 1;

	/**
	 * All readings of this event by metric name: {@code measurements}, plus {@code value}
	 * under {@value #DEFAULT_METRIC}.
	 * @return the readings, in a stable order
	 */
	@JsonIgnore
	public Map<String, Double> metrics() {
		Map<String, Double> metrics = new LinkedHashMap<>();
		if (this.value != null) {
			metrics.put(DEFAULT_METRIC, this.value);
		}
		if (this.measurements != null) {
			this.measurements.forEach((name, reading) -> {
				if (reading != null) {
					metrics.put(name, reading);
				}
			});
		}
		return metrics;
	}

	/**
	 * This event as ingest stores it: with an id, the schema version and the ingest time.
	 * @param assignedId the id to use when the client sent none
	 * @param now the ingest time
	 * @return the stamped event
	 */
	public TelemetryEvent stamped(String assignedId, Instant now) {
		String id = (this.eventId != null && !this.eventId.isBlank()) ? this.eventId : assignedId;
		int version = (this.schemaVersion != null) ? this.schemaVersion : CURRENT_SCHEMA_VERSION;
		return new TelemetryEvent(id, this.sensorId, this.timestamp, this.value, this.measurements, this.tags, version,
				now);
	}

}
