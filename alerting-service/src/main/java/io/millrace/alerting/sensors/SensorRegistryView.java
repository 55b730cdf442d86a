package io.millrace.alerting.sensors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.model.sensor.SensorMetadata;

/**
 * The sensor registry's tags as this instance has read them from {@code sensor-metadata}:
 * window aggregates carry no tags, so rules that select sensors by tag look them up here.
 * Every instance reads the whole compacted topic; a tombstone forgets the sensor.
 */
public final class SensorRegistryView implements SensorTags {

	private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

	/**
	 * A sensor's metadata changed.
	 * @param metadata its metadata
	 */
	public void put(SensorMetadata metadata) {
		this.tags.put(metadata.sensorId(), Map.copyOf(metadata.tags()));
	}

	/**
	 * A sensor left the registry.
	 * @param sensorId the sensor
	 */
	public void remove(String sensorId) {
		this.tags.remove(sensorId);
	}

	@Override
	public Map<String, String> of(String sensorId) {
		return this.tags.getOrDefault(sensorId, Map.of());
	}

	/**
	 * @return how many sensors it knows
	 */
	public int size() {
		return this.tags.size();
	}

}
