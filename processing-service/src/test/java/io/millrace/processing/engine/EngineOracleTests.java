package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowAggregate.WindowKey;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.StreamEngine.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The engine against a brute-force batch computation over the same input: a randomized
 * stream over many sensors and partitions with bounded disorder, duplicates, events far
 * beyond the allowed lateness, events from the future, idle partitions and session gaps.
 * Every final aggregate must match exactly (quantiles within the sketch's stated
 * accuracy), and every expected window must be emitted final exactly once. Every window's
 * whole sequence of results obeys {@link EmissionRules}; in addition each result shows
 * exactly the readings accepted for its window so far, and a tumbling or hopping window
 * has an on-time result exactly when it held readings before the watermark passed its
 * end. The stream also runs with early results on.
 * <p>
 * Fixed seeds run in the test suite; {@code -Dmillrace.oracle.runs=N} adds N random seeds
 * of 200,000 events each (the seed is printed on failure).
 */
class EngineOracleTests {

	private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

	private static final long DISORDER = 5_000;

	private static final long LATENESS = 10_000;

	private static final double ACCURACY = 0.01;

	private static final List<WindowSpec> WINDOWS = List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
			new WindowSpec.Hopping(Duration.ofMinutes(2), Duration.ofSeconds(30)),
			new WindowSpec.Sliding(Duration.ofSeconds(20)),
			new WindowSpec.Session(Duration.ofSeconds(15), Duration.ofMinutes(2)));

	private static final Duration EARLY_INTERVAL = Duration.ofSeconds(3);

	@ParameterizedTest
	@ValueSource(longs = { 1, 7, 42, 2026, -6647572478118007400L })
	void finalAggregatesMatchABatchComputationOverTheSameInput(long seed) {
		check(seed, 20_000, false);
	}

	@ParameterizedTest
	@ValueSource(longs = { 3, 2027 })
	void withEarlyResultsEveryWindowHasOneOnTimeResultAndNothingWaitsForTheFinal(long seed) {
		check(seed, 20_000, true);
	}

	@Test
	@EnabledIfSystemProperty(named = "millrace.oracle.runs", matches = "\\d+")
	void randomSeeds() {
		int runs = Integer.parseInt(System.getProperty("millrace.oracle.runs"));
		for (int run = 0; run < runs; run++) {
			long seed = new Random().nextLong();
			try {
				check(seed, 200_000, run % 2 == 1);
			}
			catch (AssertionError ex) {
				throw new AssertionError("Oracle failed for seed " + seed, ex);
			}
		}
	}

	/** The configuration the generated streams are made for. */
	static EngineConfig config() {
		return config(false);
	}

	/** The same, with early results every few seconds when asked. */
	static EngineConfig config(boolean early) {
		return new EngineConfig(WINDOWS, Duration.ofMillis(DISORDER), Duration.ofMillis(LATENESS),
				Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(10), early ? EARLY_INTERVAL : null,
				ACCURACY);
	}

	static ManualClock clock() {
		return new ManualClock(T0);
	}

	private static void check(long seed, int events, boolean early) {
		Stream stream = new Stream(seed, events);
		ManualClock clock = clock();
		StreamEngine engine = new StreamEngine(config(early), clock);
		List<WindowAggregate> emitted = new ArrayList<>();
		List<Reading> accepted = new ArrayList<>();
		Map<Disposition, Integer> expected = new HashMap<>();
		Progress progress = new Progress(seed);
		long lastTick = clock.millis();
		for (Generated generated : stream.events) {
			clock.set(generated.now());
			Instant watermark = engine.watermark(generated.partition());
			long closedTo = watermark.equals(Instant.MIN) ? Long.MIN_VALUE : watermark.toEpochMilli();
			StreamEngine.Result result = engine.onEvent(generated.partition(), generated.event());
			assertThat(result.disposition()).as("seed %s, %s", seed, generated).isEqualTo(generated.expected());
			expected.merge(generated.expected(), 1, Integer::sum);
			if (generated.expected() == Disposition.ACCEPTED) {
				generated.event().metrics().forEach((metric, value) -> {
					Reading reading = new Reading(generated.event().sensorId(), metric,
							generated.event().timestamp().toEpochMilli(), accepted.size(), value);
					accepted.add(reading);
					progress.accept(reading, closedTo);
				});
			}
			progress.emitted(result.emitted());
			emitted.addAll(result.emitted());
			// With early results, ticks come every second of processing time as in the
			// service; without, rarely, so that idle partitions still close windows.
			boolean tick = early ? clock.millis() - lastTick >= 1000 : accepted.size() % 997 == 0;
			if (tick) {
				lastTick = clock.millis();
				engine.onTick().values().forEach((results) -> {
					progress.emitted(results);
					emitted.addAll(results);
				});
			}
		}
		List<WindowAggregate> drained = engine.drain();
		progress.emitted(drained);
		emitted.addAll(drained);
		assertThat(expected.keySet()).as("the stream exercises every disposition").hasSize(4);

		Map<WindowKey, WindowAggregate> finals = new HashMap<>();
		for (WindowAggregate aggregate : emitted) {
			if (aggregate.isFinal() && finals.put(aggregate.key(), aggregate) != null) {
				fail("seed " + seed + ": window emitted final twice: " + aggregate.key());
			}
		}
		Map<WindowKey, Expected> expectedFinals = BruteForce.compute(accepted);
		assertThat(finals.keySet()).as("seed %s: final windows", seed).isEqualTo(expectedFinals.keySet());
		expectedFinals.forEach((key, want) -> want.assertMatches(finals.get(key), seed));
		assertThat(engine.openWindows()).isZero();

		EmissionRules rules = new EmissionRules(LATENESS > 0).addAll(emitted);
		assertThat(rules.assertObeyed("seed " + seed)).isEqualTo(finals.size()).isEqualTo(rules.sequences().size());
		progress.assertOnTimeResults(rules);
		if (early) {
			assertThat(emitted).as("early results are emitted")
				.anyMatch((aggregate) -> aggregate.timing().equals(WindowAggregate.EARLY));
		}
		assertThat(progress.lateOnly).as("the stream has windows whose readings all came late").isPositive();
		assertThat(emitted).as("late readings update windows before their final")
			.anyMatch((aggregate) -> aggregate.timing().equals(WindowAggregate.LATE) && !aggregate.isFinal());
	}

	/**
	 * What the oracle knows while the stream runs: readings accepted per aligned window
	 * so far, and which windows held readings before the watermark passed their end.
	 */
	private static final class Progress {

		private final long seed;

		private final Map<WindowKey, Integer> counts = new HashMap<>();

		private final Set<WindowKey> openedOnTime = new HashSet<>();

		private int lateOnly;

		Progress(long seed) {
			this.seed = seed;
		}

		void accept(Reading reading, long closedTo) {
			BruteForce.alignedWindows(reading, "tumbling", 60_000, 60_000, (key) -> count(key, reading, closedTo));
			BruteForce.alignedWindows(reading, "hopping", 120_000, 30_000, (key) -> count(key, reading, closedTo));
		}

		private void count(WindowKey key, Reading reading, long closedTo) {
			boolean first = this.counts.merge(key, 1, Integer::sum) == 1;
			if (key.end().toEpochMilli() > closedTo) {
				this.openedOnTime.add(key);
			}
			else if (first) {
				this.lateOnly++;
			}
		}

		void emitted(List<WindowAggregate> results) {
			for (WindowAggregate result : results) {
				Integer count = this.counts.get(result.key());
				if (count != null) {
					assertThat(result.count()).as("seed %s: %s shows every reading accepted so far", this.seed, result)
						.isEqualTo(count.longValue());
				}
			}
		}

		void assertOnTimeResults(EmissionRules rules) {
			rules.sequences().forEach((key, sequence) -> {
				if (this.counts.containsKey(key)) {
					long onTime = sequence.stream()
						.filter((result) -> result.timing().equals(WindowAggregate.ON_TIME))
						.count();
					assertThat(onTime).as("seed %s: on-time results of %s", this.seed, key)
						.isEqualTo(this.openedOnTime.contains(key) ? 1 : 0);
				}
			});
		}

	}

	/** One event as the stream sends it, with what the engine must do with it. */
	record Generated(Instant now, String partition, TelemetryEvent event, Disposition expected) {
	}

	private record Reading(String sensorId, String metric, long time, int arrival, double value) {
	}

	/** The randomized input. */
	static final class Stream {

		final List<Generated> events = new ArrayList<>();

		Stream(long seed, int count) {
			Random random = new Random(seed);
			int sensors = 40;
			int partitions = 4;
			long now = T0.toEpochMilli();
			Map<Integer, Long> partitionMax = new HashMap<>();
			Set<String> taken = new HashSet<>();
			List<Generated> recent = new ArrayList<>();
			int next = 0;
			while (this.events.size() < count) {
				now += 1 + random.nextInt(20);
				Instant processingTime = Instant.ofEpochMilli(now);
				double kind = random.nextDouble();
				if (kind < 0.02 && !recent.isEmpty()) {
					Generated original = recent.get(random.nextInt(recent.size()));
					this.events.add(new Generated(processingTime, original.partition(), original.event(),
							Disposition.DUPLICATE));
					continue;
				}
				// Rare sensors leave gaps that close sessions; partition 3 pauses for 30
				// s every minute.
				int sensor = (random.nextDouble() < 0.8) ? random.nextInt(sensors / 2)
						: sensors / 2 + random.nextInt(sensors / 2);
				int partition = sensor % partitions;
				if (partition == 3 && (now / 30_000) % 2 == 1) {
					partition = 2;
					sensor = sensor - 1;
				}
				String sensorId = "sensor-" + sensor;
				String id = "e" + (next++);
				// Only a partition with a watermark can call a reading late: its state
				// and
				// watermark are its own (seed -6647572478118007400 sent one to a
				// partition
				// that had no event yet, and the engine rightly accepted it).
				if (kind < 0.03 && partitionMax.containsKey(partition)) {
					long slowest = partitionMax.values().stream().min(Long::compare).orElseThrow();
					long tooLate = slowest - DISORDER - LATENESS - Duration.ofMinutes(2).toMillis() - 75_000
							- random.nextInt(60_000);
					this.events.add(new Generated(processingTime, "p" + partition, event(id, sensorId, tooLate, random),
							Disposition.LATE));
					continue;
				}
				if (kind < 0.06 && partition < 3 && partitionMax.containsKey(partition)) {
					// Behind the watermark but within the allowed lateness for every
					// window
					// it belongs to; half of them just before a window boundary the
					// watermark has passed, some for a metric only such readings carry,
					// so
					// that windows opened late exist.
					long watermark = partitionMax.get(partition) - DISORDER;
					long boundary = Math.floorDiv(watermark, 30_000) * 30_000;
					long time = (random.nextBoolean() && watermark - boundary < 5_000)
							? boundary - 1 - random.nextInt(2_000) : watermark - 1 - random.nextInt(7_000);
					if (taken.add(sensorId + "@" + time)) {
						TelemetryEvent event = (random.nextDouble() < 0.3) ? new TelemetryEvent(id, sensorId,
								Instant.ofEpochMilli(time), null,
								Map.of("humidity", Math.round(random.nextDouble() * 10_000) / 100.0), null, 1, null)
								: event(id, sensorId, time, random);
						Generated generated = new Generated(processingTime, "p" + partition, event,
								Disposition.ACCEPTED);
						this.events.add(generated);
						recent.add(generated);
						continue;
					}
				}
				if (kind < 0.065) {
					this.events.add(new Generated(processingTime, "p" + partition,
							event(id, sensorId, now + Duration.ofMinutes(10).toMillis(), random),
							Disposition.CLOCK_SKEW));
					continue;
				}
				long base = Math.max(partitionMax.getOrDefault(partition, now), now);
				long time = base - random.nextInt((int) DISORDER - 1000);
				while (!taken.add(sensorId + "@" + time)) {
					time++;
				}
				partitionMax.merge(partition, time, Math::max);
				Generated generated = new Generated(processingTime, "p" + partition, event(id, sensorId, time, random),
						Disposition.ACCEPTED);
				this.events.add(generated);
				recent.add(generated);
				if (recent.size() > 100) {
					recent.remove(0);
				}
			}
		}

		private static TelemetryEvent event(String id, String sensorId, long time, Random random) {
			double value = Math.round((50 + random.nextGaussian() * 15) * 100) / 100.0;
			if (random.nextDouble() < 0.3) {
				Map<String, Double> measurements = new LinkedHashMap<>();
				measurements.put("temperature", value);
				measurements.put("pressure", Math.round(random.nextDouble() * 400) / 100.0);
				return new TelemetryEvent(id, sensorId, Instant.ofEpochMilli(time), null, measurements, null, 1, null);
			}
			return new TelemetryEvent(id, sensorId, Instant.ofEpochMilli(time), value, null, null, 1, null);
		}

	}

	/** Exact statistics of one window, computed from its readings. */
	private record Expected(List<Reading> readings) {

		void assertMatches(WindowAggregate actual, long seed) {
			String where = "seed " + seed + " " + actual.key();
			List<Double> values = this.readings.stream().map(Reading::value).sorted().toList();
			long count = values.size();
			double sum = 0;
			double magnitude = 0;
			for (double value : values) {
				sum += value;
				magnitude += Math.abs(value);
			}
			double mean = sum / count;
			double squares = 0;
			for (double value : values) {
				squares += (value - mean) * (value - mean);
			}
			double tolerance = 1e-9 * Math.max(1, magnitude);
			assertThat(actual.count()).as(where).isEqualTo(count);
			assertThat(actual.sum()).as(where).isCloseTo(sum, org.assertj.core.api.Assertions.within(tolerance));
			assertThat(actual.min()).as(where).isEqualTo(values.get(0));
			assertThat(actual.max()).as(where).isEqualTo(values.get(values.size() - 1));
			assertThat(actual.avg()).as(where).isCloseTo(mean, org.assertj.core.api.Assertions.within(tolerance));
			assertThat(actual.stddev()).as(where)
				.isCloseTo(Math.sqrt(squares / count),
						org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, mean)));
			Reading first = this.readings.stream()
				.min(Comparator.comparingLong(Reading::time).thenComparingInt(Reading::arrival))
				.orElseThrow();
			Reading last = this.readings.stream()
				.max(Comparator.comparingLong(Reading::time).thenComparingInt(Reading::arrival))
				.orElseThrow();
			assertThat(actual.firstValue()).as(where).isEqualTo(first.value());
			assertThat(actual.lastValue()).as(where).isEqualTo(last.value());
			assertQuantile(actual.p50(), values, 0.50, where);
			assertQuantile(actual.p95(), values, 0.95, where);
			assertQuantile(actual.p99(), values, 0.99, where);
		}

		private static void assertQuantile(Double estimate, List<Double> sorted, double q, String where) {
			double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
			assertThat(estimate).as(where + " p" + q)
				.isCloseTo(exact, org.assertj.core.api.Assertions.within(Math.abs(exact) * ACCURACY + 1e-9));
		}

	}

	/** The batch computation the engine must agree with. */
	private static final class BruteForce {

		static Map<WindowKey, Expected> compute(List<Reading> accepted) {
			Map<String, List<Reading>> bySeries = new TreeMap<>();
			for (Reading reading : accepted) {
				bySeries.computeIfAbsent(reading.sensorId() + "\u0000" + reading.metric(), (key) -> new ArrayList<>())
					.add(reading);
			}
			Map<WindowKey, List<Reading>> windows = new HashMap<>();
			for (List<Reading> series : bySeries.values()) {
				series.sort(Comparator.comparingLong(Reading::time).thenComparingInt(Reading::arrival));
				aligned(series, "tumbling", 60_000, 60_000, windows);
				aligned(series, "hopping", 120_000, 30_000, windows);
				sliding(series, 20_000, windows);
				sessions(series, 15_000, 120_000, windows);
			}
			Map<WindowKey, Expected> expected = new HashMap<>();
			windows.forEach((key, readings) -> expected.put(key, new Expected(readings)));
			return expected;
		}

		private static void aligned(List<Reading> series, String kind, long size, long advance,
				Map<WindowKey, List<Reading>> windows) {
			for (Reading reading : series) {
				alignedWindows(reading, kind, size, advance,
						(key) -> windows.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(reading));
			}
		}

		static void alignedWindows(Reading reading, String kind, long size, long advance,
				java.util.function.Consumer<WindowKey> window) {
			for (long start = Math.floorDiv(reading.time(), advance) * advance; start + size > reading
				.time(); start -= advance) {
				window.accept(key(reading, kind, start, start + size));
			}
		}

		private static void sliding(List<Reading> series, long size, Map<WindowKey, List<Reading>> windows) {
			TreeSet<Long> boundaries = new TreeSet<>();
			for (Reading reading : series) {
				boundaries.add(reading.time());
				boundaries.add(reading.time() + size);
			}
			for (long end : boundaries) {
				List<Reading> inside = series.stream()
					.filter((reading) -> reading.time() > end - size && reading.time() <= end)
					.toList();
				if (!inside.isEmpty()) {
					windows.put(key(inside.get(0), "sliding", end - size + 1, end + 1), new ArrayList<>(inside));
				}
			}
		}

		private static void sessions(List<Reading> series, long gap, long maxDuration,
				Map<WindowKey, List<Reading>> windows) {
			List<Reading> session = new ArrayList<>();
			for (Reading reading : series) {
				if (!session.isEmpty()) {
					long start = session.get(0).time();
					long last = session.get(session.size() - 1).time();
					if (reading.time() - last >= gap || reading.time() - start >= maxDuration) {
						windows.put(key(session.get(0), "session", start, last + gap), session);
						session = new ArrayList<>();
					}
				}
				session.add(reading);
			}
			if (!session.isEmpty()) {
				long start = session.get(0).time();
				windows.put(key(session.get(0), "session", start, session.get(session.size() - 1).time() + gap),
						session);
			}
		}

		private static WindowKey key(Reading reading, String kind, long start, long end) {
			return new WindowKey(reading.sensorId(), reading.metric(), kind, Instant.ofEpochMilli(start),
					Instant.ofEpochMilli(end));
		}

	}

}
