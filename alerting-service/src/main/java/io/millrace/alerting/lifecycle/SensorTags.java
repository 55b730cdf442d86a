package io.millrace.alerting.lifecycle;

import java.util.Map;

/**
 * The tags of a sensor as the sensor registry knows them. Window aggregates carry no
 * tags, so a selector by tag needs this lookup; the service wires it to the
 * {@code sensor-metadata} registry.
 */
@FunctionalInterface
public interface SensorTags {

	/**
	 * The tags of one sensor.
	 * @param sensorId the sensor
	 * @return its tags, empty when unknown
	 */
	Map<String, String> of(String sensorId);

	/**
	 * No registry: only tags carried by raw events count.
	 * @return a lookup that knows no tags
	 */
	static SensorTags none() {
		return (sensorId) -> Map.of();
	}

}
