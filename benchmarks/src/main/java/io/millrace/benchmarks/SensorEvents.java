package io.millrace.benchmarks;

import java.util.Locale;
import java.util.Random;

/**
 * The telemetry events the HTTP load generators send: 10,000 sensors, two measurements.
 */
public final class SensorEvents {

	private SensorEvents() {
	}

	/**
	 * Append one event's JSON.
	 * @param body where
	 * @param random picks the sensor and the values
	 * @param timestamp the event time, RFC 3339
	 * @return the body
	 */
	public static StringBuilder append(StringBuilder body, Random random, String timestamp) {
		return body.append("{\"sensorId\":\"bench-sensor-")
			.append(random.nextInt(10_000))
			.append("\",\"timestamp\":\"")
			.append(timestamp)
			.append("\",\"measurements\":{\"temperature\":")
			.append(String.format(Locale.ROOT, "%.2f", 20 + random.nextDouble() * 60))
			.append(",\"pressure\":")
			.append(String.format(Locale.ROOT, "%.3f", 1 + random.nextDouble()))
			.append("}}");
	}

}
