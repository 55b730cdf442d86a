package io.millrace.model.sensor;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sensor registry as one instance has read it from the compacted
 * {@code sensor-metadata} topic, keyed by sensorId: every instance of a service that
 * joins on the registry (alerting's selection by tag, the lakehouse's Silver enrichment,
 * serving's directory) reads the whole topic into one of these. A tombstone forgets the
 * sensor. Safe for one writer and many readers.
 */
public final class SensorRegistrySnapshot {

	private final Map<String, SensorMetadata> sensors = new ConcurrentHashMap<>();

	/**
	 * @param metadata a sensor's metadata, as last published
	 */
	public void put(SensorMetadata metadata) {
		this.sensors.put(metadata.sensorId(), metadata);
	}

	/**
	 * @param sensorId a sensor that left the registry
	 */
	public void remove(String sensorId) {
		this.sensors.remove(sensorId);
	}

	/**
	 * @param sensorId a sensor
	 * @return its metadata, if registered
	 */
	public Optional<SensorMetadata> get(String sensorId) {
		return Optional.ofNullable(this.sensors.get(sensorId));
	}

	/**
	 * @param sensorId a sensor
	 * @return its tags, empty when it is not registered
	 */
	public Map<String, String> tags(String sensorId) {
		SensorMetadata metadata = this.sensors.get(sensorId);
		return (metadata != null) ? Collections.unmodifiableMap(metadata.tags()) : Map.of();
	}

	/**
	 * @return how many sensors are registered
	 */
	public int size() {
		return this.sensors.size();
	}

}
