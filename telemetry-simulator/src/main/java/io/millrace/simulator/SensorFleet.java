package io.millrace.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.millrace.model.telemetry.TelemetryEvent;

/**
 * A fleet of simulated pumps whose temperature, humidity and pressure wander like real
 * readings. One sensor in ten runs hot now and then, so the default alert rule
 * (temperature above 80) fires and resolves on its own in a local run.
 */
public final class SensorFleet {

	private static final double NORMAL_TEMPERATURE = 60;

	private final Random random;

	private final List<Sensor> sensors = new ArrayList<>();

	/**
	 * A fleet.
	 * @param size number of sensors
	 * @param seed random seed, so a run can be repeated
	 */
	public SensorFleet(int size, long seed) {
		if (size < 1) {
			throw new IllegalArgumentException("A fleet needs at least one sensor, got " + size);
		}
		this.random = new Random(seed);
		for (int i = 1; i <= size; i++) {
			this.sensors.add(new Sensor(String.format("pump-%03d", i), i % 10 == 3));
		}
	}

	/**
	 * One reading from every sensor at the given event time.
	 * @param now the event time of the readings
	 * @return the events, one per sensor
	 */
	public List<TelemetryEvent> readingsAt(Instant now) {
		List<TelemetryEvent> events = new ArrayList<>(this.sensors.size());
		for (Sensor sensor : this.sensors) {
			events.add(sensor.read(now));
		}
		return events;
	}

	private final class Sensor {

		private final String id;

		private final boolean runsHot;

		private double temperature = NORMAL_TEMPERATURE;

		private double humidity = 40;

		private double pressure = 2.0;

		Sensor(String id, boolean runsHot) {
			this.id = id;
			this.runsHot = runsHot;
		}

		TelemetryEvent read(Instant now) {
			double pull = (this.runsHot && (now.getEpochSecond() / 180) % 2 == 0) ? 90 : NORMAL_TEMPERATURE;
			this.temperature += (pull - this.temperature) * 0.1 + random.nextGaussian();
			this.humidity = clamp(this.humidity + random.nextGaussian() * 0.5, 5, 95);
			this.pressure = clamp(this.pressure + random.nextGaussian() * 0.02, 0.5, 4);
			Map<String, Double> measurements = new LinkedHashMap<>();
			measurements.put("temperature", round(this.temperature));
			measurements.put("humidity", round(this.humidity));
			measurements.put("pressure", round(this.pressure));
			return new TelemetryEvent(null, this.id, now, null, measurements, Map.of("site", "local"), null, null);
		}

		private static double clamp(double value, double min, double max) {
			return Math.max(min, Math.min(max, value));
		}

		private static double round(double value) {
			return Math.round(value * 100) / 100.0;
		}

	}

}
