package io.millrace.model.sensor;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The sensor registry's reference data for one sensor: the value of the compacted topic
 * {@code sensor-metadata}, keyed by sensorId (a record without value, a tombstone,
 * removes the sensor). What processing (enrichment), alerting (selection by tag) and the
 * lakehouse join with the telemetry.
 *
 * @param sensorId the sensor
 * @param name human-readable name
 * @param tags labels to select and group sensors by ({@code site}, {@code line}, ...)
 * @param location where it is
 * @param units unit per metric, for example {@code temperature → °C}
 * @param expectedRanges the range each metric should stay in
 * @param updatedAt when the registry last changed it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SensorMetadata(String sensorId, String name, Map<String, String> tags, Location location,
		Map<String, String> units, Map<String, Range> expectedRanges, Instant updatedAt) {

	public SensorMetadata {
		tags = (tags != null) ? new TreeMap<>(tags) : new TreeMap<>();
		units = (units != null) ? new TreeMap<>(units) : new TreeMap<>();
		expectedRanges = (expectedRanges != null) ? new TreeMap<>(expectedRanges) : new TreeMap<>();
	}

	/**
	 * Where a sensor is.
	 *
	 * @param latitude WGS 84 degrees
	 * @param longitude WGS 84 degrees
	 * @param site a place name
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Location(Double latitude, Double longitude, String site) {
	}

	/**
	 * The range a metric should stay in; either end may be open.
	 *
	 * @param min the lowest expected value
	 * @param max the highest expected value
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Range(Double min, Double max) {
	}

}
