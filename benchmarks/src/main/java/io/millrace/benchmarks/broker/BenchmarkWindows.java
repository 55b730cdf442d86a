package io.millrace.benchmarks.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows both systems compute, their time rules in one place, and the final windows
 * they must both produce, computed here from the pre-loaded events.
 * <p>
 * Millrace: a partition's watermark is its newest event time minus the max
 * out-of-orderness; a reading is late for a window once {@code end + allowedLateness <=
 * watermark}, and the window's final result is emitted when {@code end + allowedLateness
 * <= watermark}. Kafka Streams: a reading is dropped for a window once
 * {@code end <= streamTime - grace}, and emit-on-window-close emits the window when
 * {@code end <= streamTime - grace}, stream time being the task's (= the partition's)
 * newest event time. With {@code grace = maxOutOfOrderness + allowedLateness} the two
 * rules are the same, so both keep the same readings and finalise the same windows.
 */
final class BenchmarkWindows {

	static final Duration TUMBLING_SIZE = Duration.ofMinutes(1);

	static final Duration HOPPING_SIZE = Duration.ofMinutes(5);

	static final Duration HOPPING_ADVANCE = Duration.ofMinutes(1);

	/** Millrace's {@code max-out-of-orderness} in this benchmark (its default). */
	static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);

	/** Millrace's {@code allowed-lateness} in this benchmark (its default). */
	static final Duration ALLOWED_LATENESS = Duration.ZERO;

	/** Kafka Streams' grace, derived from Millrace's settings. */
	static final Duration GRACE = MAX_OUT_OF_ORDERNESS.plus(ALLOWED_LATENESS);

	private final Map<String, Aggregate> windows = new HashMap<>();

	private final Map<Integer, Long> streamTime = new HashMap<>();

	private long dropped;

	/**
	 * Add one event, in the order of its partition.
	 */
	void add(int partition, String sensorId, long eventTime, double value) {
		long before = this.streamTime.getOrDefault(partition, Long.MIN_VALUE);
		long now = Math.max(before, eventTime);
		this.streamTime.put(partition, now);
		long grace = GRACE.toMillis();
		long tumbling = TUMBLING_SIZE.toMillis();
		long tumblingStart = Math.floorDiv(eventTime, tumbling) * tumbling;
		addTo("tumbling", partition, sensorId, tumblingStart, tumblingStart + tumbling, now, grace, value);
		long size = HOPPING_SIZE.toMillis();
		long advance = HOPPING_ADVANCE.toMillis();
		long lastStart = Math.floorDiv(eventTime, advance) * advance;
		for (long start = lastStart; start > eventTime - size; start -= advance) {
			addTo("hopping", partition, sensorId, start, start + size, now, grace, value);
		}
	}

	private void addTo(String kind, int partition, String sensorId, long start, long end, long streamTime, long grace,
			double value) {
		if (end <= streamTime - grace) {
			this.dropped++;
			return;
		}
		Aggregate aggregate = this.windows.computeIfAbsent(key(sensorId, kind, start),
				(k) -> new Aggregate(partition, end));
		aggregate.count++;
		aggregate.sum += value;
	}

	/**
	 * Readings dropped as late for one of their windows (both systems must drop them).
	 */
	long dropped() {
		return this.dropped;
	}

	/**
	 * The windows whose final result both systems must emit: those its partition's newest
	 * event time has closed.
	 */
	Map<String, Aggregate> finals() {
		Map<String, Aggregate> finals = new HashMap<>();
		long grace = GRACE.toMillis();
		this.windows.forEach((key, aggregate) -> {
			if (aggregate.end + grace <= this.streamTime.get(aggregate.partition)) {
				finals.put(key, aggregate);
			}
		});
		return finals;
	}

	static String key(String sensorId, String kind, long start) {
		return sensorId + "|" + kind + "|" + start;
	}

	/**
	 * The differences between what a system emitted and what was expected, at most a few.
	 */
	static List<String> differences(Map<String, Aggregate> expected, Map<String, Aggregate> actual) {
		List<String> differences = new ArrayList<>();
		int missing = 0;
		for (Map.Entry<String, Aggregate> entry : expected.entrySet()) {
			Aggregate got = actual.get(entry.getKey());
			if (got == null) {
				missing++;
				if (differences.size() < 5) {
					differences.add("missing " + entry.getKey());
				}
			}
			else if (got.count != entry.getValue().count
					|| Math.abs(got.sum - entry.getValue().sum) > 1e-9 * Math.max(1, Math.abs(entry.getValue().sum))) {
				differences.add(entry.getKey() + ": expected count " + entry.getValue().count + " sum "
						+ entry.getValue().sum + ", got " + got.count + " / " + got.sum);
			}
		}
		for (String key : actual.keySet()) {
			if (!expected.containsKey(key)) {
				differences.add("unexpected " + key);
			}
		}
		if (missing > 5) {
			differences.add(missing + " missing in all");
		}
		return differences;
	}

	/** Count and sum of one window. */
	static final class Aggregate {

		final int partition;

		final long end;

		long count;

		double sum;

		Aggregate(int partition, long end) {
			this.partition = partition;
			this.end = end;
		}

		static Aggregate of(long count, double sum) {
			Aggregate aggregate = new Aggregate(-1, 0);
			aggregate.count = count;
			aggregate.sum = sum;
			return aggregate;
		}

	}

}
