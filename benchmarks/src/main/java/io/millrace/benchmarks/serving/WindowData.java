package io.millrace.benchmarks.serving;

import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The data set of the serving benchmarks, the same for serving-api and the PostgreSQL
 * peer without holding it in memory: {@code sensors} sensors × {@code minutes} final
 * 1-minute tumbling windows of one metric, ending at {@code end}. Every window's
 * statistics come from a random generator seeded by (sensor, minute), so both loaders
 * produce the very same values.
 */
final class WindowData {

	static final String METRIC = "temperature";

	static final long MINUTE = 60_000;

	private final int sensors;

	private final int minutes;

	private final long startMillis;

	WindowData(int sensors, int minutes, Instant end) {
		this.sensors = sensors;
		this.minutes = minutes;
		this.startMillis = end.toEpochMilli() - minutes * MINUTE;
	}

	int sensors() {
		return this.sensors;
	}

	int minutes() {
		return this.minutes;
	}

	long windows() {
		return (long) this.sensors * this.minutes;
	}

	/** Start of the first window, epoch ms. */
	long startMillis() {
		return this.startMillis;
	}

	/** End of the last window, epoch ms. */
	long endMillis() {
		return this.startMillis + this.minutes * MINUTE;
	}

	static String sensorId(int sensor) {
		return String.format(Locale.ROOT, "s-%05d", sensor);
	}

	/**
	 * One window's statistics, as processing emits them (count 60, every optional
	 * statistic present).
	 */
	Window window(int sensor, int minute) {
		SplittableRandom random = new SplittableRandom(((long) sensor << 20) ^ minute ^ 0x5DEECE66DL);
		double level = 20 + (sensor % 50);
		double avg = level + random.nextDouble() * 5;
		double spread = 0.5 + random.nextDouble() * 3;
		double min = avg - spread * (1 + random.nextDouble());
		double max = avg + spread * (1 + random.nextDouble());
		long start = this.startMillis + minute * MINUTE;
		return new Window(sensorId(sensor), start, start + MINUTE, 60, avg * 60, min, max, avg, spread,
				avg - spread * 0.1, avg + spread * 1.5, avg + spread * 2.2, min + random.nextDouble(),
				max - random.nextDouble(), start + MINUTE + 2_000);
	}

	/**
	 * One final 1-minute window.
	 */
	record Window(String sensorId, long start, long end, long count, double sum, double min, double max, double avg,
			double stddev, double p50, double p95, double p99, double firstValue, double lastValue, long emittedAt) {

		/** As {@code telemetry-aggregates} carries it. */
		String json() {
			return "{\"sensorId\":\"" + this.sensorId + "\",\"metric\":\"" + METRIC
					+ "\",\"window\":{\"kind\":\"tumbling\",\"start\":\"" + Instant.ofEpochMilli(this.start)
					+ "\",\"end\":\"" + Instant.ofEpochMilli(this.end) + "\",\"size\":\"PT1M\"},\"count\":" + this.count
					+ ",\"sum\":" + this.sum + ",\"min\":" + this.min + ",\"max\":" + this.max + ",\"avg\":" + this.avg
					+ ",\"stddev\":" + this.stddev + ",\"p50\":" + this.p50 + ",\"p95\":" + this.p95 + ",\"p99\":"
					+ this.p99 + ",\"firstValue\":" + this.firstValue + ",\"lastValue\":" + this.lastValue
					+ ",\"final\":true,\"revision\":0,\"timing\":\"on-time\",\"emittedAt\":\""
					+ Instant.ofEpochMilli(this.emittedAt) + "\"}";
		}

		/** A row of the peer's COPY (CSV, timestamps as RFC 3339 instants). */
		String csv() {
			return this.sensorId + "," + METRIC + ",tumbling," + Instant.ofEpochMilli(this.start) + ","
					+ Instant.ofEpochMilli(this.end) + "," + this.count + "," + this.sum + "," + this.min + ","
					+ this.max + "," + this.avg + "," + this.stddev + "," + this.p50 + "," + this.p95 + "," + this.p99
					+ "," + this.firstValue + "," + this.lastValue + ",true,0," + Instant.ofEpochMilli(this.emittedAt)
					+ "\n";
		}

	}

}
