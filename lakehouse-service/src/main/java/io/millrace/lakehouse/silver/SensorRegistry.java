package io.millrace.lakehouse.silver;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.model.sensor.SensorMetadata;

/**
 * The sensor registry as this instance has read it from the compacted
 * {@code sensor-metadata} topic (every instance reads all of it): what Silver readings
 * are enriched with. A tombstone forgets the sensor. A reading is enriched with what is
 * known when it is written; a later change does not rewrite Silver.
 */
public final class SensorRegistry {

	private final Map<String, SensorMetadata> sensors = new ConcurrentHashMap<>();

	/**
	 * @param metadata a sensor's metadata
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
	 * @return its metadata, if known
	 */
	public Optional<SensorMetadata> get(String sensorId) {
		return Optional.ofNullable(this.sensors.get(sensorId));
	}

	public int size() {
		return this.sensors.size();
	}

}
