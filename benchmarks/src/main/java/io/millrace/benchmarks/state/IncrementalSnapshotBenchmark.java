package io.millrace.benchmarks.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import io.millrace.benchmarks.Stats;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.EngineConfig;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.engine.WindowSpec;

/**
 * Partition deltas ({@code snapshotPartitionChanges}) against full partition snapshots
 * ({@code snapshotPartition}, the peer), on the state of {@link StateFootprintBenchmark}:
 * 100,000 sensors with one tumbling and five hopping windows open each (600,000 open
 * windows, 1% sketches), 4 partitions, 1,000,000 ids in the dedupe memory.
 * <p>
 * Each round takes a full snapshot of every partition, then gives a share of the sensors
 * (2% by default, different ones each round) one more reading inside their open windows,
 * so that share of the series changes, in all six of its windows, and as many event ids
 * are new; then it takes a delta of every partition, and at once a second delta with
 * nothing changed. It also restores all four partitions into a fresh engine from the
 * snapshots alone and from snapshots plus deltas. Figures are medians over the rounds.
 * <p>
 * The second part is what tracking changes costs on the hot path: one million events
 * (10,000 sensors, 2 minutes of event time, as {@code EngineThroughputBenchmark} with
 * span 2) into a fresh engine that never took a partition snapshot (changes not tracked)
 * and into one that took one of every partition first (every change tracked, no snapshot
 * during the feed), alternating, median of the rounds.
 * <p>
 * {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.state.IncrementalSnapshotBenchmark [sensors] [changedPercent] [rounds]}
 */
public final class IncrementalSnapshotBenchmark {

	private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

	private static final int PARTITIONS = 4;

	private IncrementalSnapshotBenchmark() {
	}

	public static void main(String[] args) {
		int sensors = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		double changedPercent = (args.length > 1) ? Double.parseDouble(args[1]) : 2;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 9;
		snapshots(sensors, changedPercent, rounds);
		tracking(rounds);
	}

	private static void snapshots(int sensors, double changedPercent, int rounds) {
		Clock clock = Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
		EngineConfig config = new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
						new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5),
				Duration.ofMinutes(10), null, 0.01);
		StreamEngine engine = new StreamEngine(config, clock);
		Random random = new Random(1);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < sensors; i++) {
			order.add(i);
		}
		// As StateFootprintBenchmark: 10 readings per sensor within the first 50 s of one
		// minute, so every sensor keeps one tumbling and five hopping windows open.
		long id = 0;
		long dedupeBytes = 0;
		for (int round = 0; round < 10; round++) {
			Collections.shuffle(order, random);
			for (int sensor : order) {
				String eventId = "e" + (id++);
				dedupeBytes += 2 + eventId.length() + 8;
				engine.onEvent(partition(sensor),
						event(eventId, sensor, round * 5_000L + random.nextInt(1000), random));
			}
		}
		int changed = (int) Math.round(sensors * changedPercent / 100);
		List<Double> fullMillis = new ArrayList<>();
		List<Double> deltaMillis = new ArrayList<>();
		List<Double> emptyMillis = new ArrayList<>();
		List<Double> restoreFullMillis = new ArrayList<>();
		List<Double> restoreDeltaMillis = new ArrayList<>();
		List<Double> checksumMillis = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		long fullBytes = 0;
		long deltaBytes = 0;
		long emptyBytes = 0;
		StreamEngine fromFull = null;
		StreamEngine fromDeltas = null;
		for (int round = 0; round < rounds; round++) {
			List<byte[]> bases = new ArrayList<>();
			fullMillis.add(time(() -> {
				for (int partition = 0; partition < PARTITIONS; partition++) {
					bases.add(engine.snapshotPartition("p" + partition));
				}
				return null;
			}));
			fullBytes = bases.stream().mapToLong((bytes) -> bytes.length).sum();
			// What the checksum a delta names its predecessor by adds to a full snapshot.
			checksumMillis.add(time(() -> {
				long sum = 0;
				for (byte[] bytes : bases) {
					CRC32C crc = new CRC32C();
					crc.update(bytes, 0, bytes.length);
					sum += crc.getValue();
				}
				return sum;
			}));
			// Inside the same windows: the watermark stays below their end, so nothing
			// closes and exactly these series change.
			Collections.shuffle(order, random);
			for (int sensor : order.subList(0, changed)) {
				engine.onEvent(partition(sensor),
						event("c" + round + "-" + sensor, sensor, 47_000 + random.nextInt(1000), random));
			}
			List<byte[]> deltas = new ArrayList<>();
			List<byte[]> empties = new ArrayList<>();
			deltaMillis.add(time(() -> {
				for (int partition = 0; partition < PARTITIONS; partition++) {
					deltas.add(engine.snapshotPartitionChanges("p" + partition));
				}
				return null;
			}));
			emptyMillis.add(time(() -> {
				for (int partition = 0; partition < PARTITIONS; partition++) {
					empties.add(engine.snapshotPartitionChanges("p" + partition));
				}
				return null;
			}));
			deltaBytes = deltas.stream().mapToLong((bytes) -> bytes.length).sum();
			ratios.add(deltaMillis.get(round) / fullMillis.get(round));
			emptyBytes = empties.stream().mapToLong((bytes) -> bytes.length).sum();
			StreamEngine restoredFull = new StreamEngine(config, clock);
			restoreFullMillis.add(time(() -> {
				bases.forEach(restoredFull::restorePartition);
				return null;
			}));
			fromFull = restoredFull;
			StreamEngine restoredDeltas = new StreamEngine(config, clock);
			restoreDeltaMillis.add(time(() -> {
				for (int partition = 0; partition < PARTITIONS; partition++) {
					restoredDeltas.restorePartition(bases.get(partition),
							List.of(deltas.get(partition), empties.get(partition)));
				}
				return null;
			}));
			fromDeltas = restoredDeltas;
		}
		// The figures mean something only if a delta holds what it must: snapshots plus
		// changes give the engine's state, checked by every window's final result. (The
		// full-only restore lacks the last round's changes by design: its windows are
		// counted.)
		if (fromFull.openWindows() != engine.openWindows()) {
			throw new IllegalStateException("The restore from full snapshots lost windows");
		}
		requireSame("snapshots + deltas", fromDeltas.drain(), engine.drain());
		double full = Stats.median(fullMillis);
		double delta = Stats.median(deltaMillis);
		System.out.printf(
				"%,d sensors, %,d open windows, %,d dedupe ids (about %,.1f MB of the full snapshot), "
						+ "%,d sensors (%.1f%%) changed per round, %d rounds, medians:%n",
				sensors, engine.openWindows(), id, dedupeBytes / 1e6, changed, changedPercent, rounds);
		System.out.printf("  full snapshot of 4 partitions:  %,10.1f ms  %,12d bytes   (all rounds: %s)%n", full,
				fullBytes, rounded(fullMillis));
		System.out.printf("  delta of 4 partitions:          %,10.1f ms  %,12d bytes   (all rounds: %s)%n", delta,
				deltaBytes, rounded(deltaMillis));
		System.out.printf("  delta with nothing changed:     %,10.3f ms  %,12d bytes%n", Stats.median(emptyMillis),
				emptyBytes);
		System.out.printf("  delta / full: time %.4f (median of the rounds' ratios), bytes %.4f%n",
				Stats.median(ratios), (double) deltaBytes / fullBytes);
		System.out.printf("  of the full snapshot, CRC32C of its bytes: %,.1f ms%n", Stats.median(checksumMillis));
		System.out.printf("  restore from snapshots: %,.1f ms; from snapshots + 2 deltas: %,.1f ms%n",
				Stats.median(restoreFullMillis), Stats.median(restoreDeltaMillis));
	}

	private static void tracking(int rounds) {
		int events = 1_000_000;
		int sensors = 10_000;
		Random random = new Random(1);
		TelemetryEvent[] feed = new TelemetryEvent[events];
		String[] partitions = new String[events];
		long span = Duration.ofMinutes(2).toMillis();
		for (int i = 0; i < events; i++) {
			int sensor = random.nextInt(sensors);
			feed[i] = event("e" + i, sensor, span * i / events - random.nextInt(2000), random);
			partitions[i] = partition(sensor);
		}
		EngineConfig config = new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
						new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1), Duration.ofMinutes(10),
				null, 0.01);
		Clock clock = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
		List<Double> untracked = new ArrayList<>();
		List<Double> tracked = new ArrayList<>();
		long[] results = { Long.MIN_VALUE };
		// One warm-up round of each, not counted.
		for (int round = -1; round < rounds; round++) {
			for (boolean tracking : (round % 2 == 0) ? new boolean[] { false, true } : new boolean[] { true, false }) {
				StreamEngine engine = new StreamEngine(config, clock);
				if (tracking) {
					for (int partition = 0; partition < PARTITIONS; partition++) {
						engine.snapshotPartition("p" + partition);
					}
				}
				System.gc();
				long[] emitted = new long[1];
				double millis = time(() -> {
					for (int i = 0; i < events; i++) {
						emitted[0] += fingerprint(engine.onEvent(partitions[i], feed[i]).emitted());
					}
					emitted[0] += fingerprint(engine.drain());
					return emitted[0] & Long.MAX_VALUE;
				});
				// Tracked and untracked runs must compute the same results, or the
				// ratio compares different work.
				if (results[0] == Long.MIN_VALUE) {
					results[0] = emitted[0];
				}
				else if (results[0] != emitted[0]) {
					throw new IllegalStateException("Tracked and untracked runs computed different results");
				}
				if (round >= 0) {
					(tracking ? tracked : untracked).add(events / millis * 1000);
				}
			}
		}
		double off = Stats.median(untracked);
		double on = Stats.median(tracked);
		System.out.printf(
				"hot path, %,d events: untracked %,.0f events/s, tracked %,.0f events/s, ratio %.3f "
						+ "(untracked rounds %s; tracked %s)%n",
				events, off, on, on / off, rounded(untracked), rounded(tracked));
	}

	/** Order-sensitive digest of results: their windows, counts and sums. */
	private static long fingerprint(List<WindowAggregate> results) {
		long digest = 0;
		for (WindowAggregate result : results) {
			digest = 31 * digest + result.key().hashCode() + 17 * result.count() + Double.hashCode(result.sum());
		}
		return digest;
	}

	private static String partition(int sensor) {
		return "p" + (sensor % PARTITIONS);
	}

	private static TelemetryEvent event(String id, int sensor, long offsetMillis, Random random) {
		return new TelemetryEvent(id, "sensor-" + sensor, T0.plusMillis(offsetMillis), 50 + random.nextGaussian() * 10,
				null, null, 1, null);
	}

	private static double time(Supplier<Object> work) {
		long started = System.nanoTime();
		Object result = work.get();
		double millis = (System.nanoTime() - started) / 1e6;
		if (result instanceof Long count && count < 0) {
			throw new IllegalStateException("unreachable: keeps the work observable");
		}
		return millis;
	}

	private static void requireSame(String what, List<WindowAggregate> actual, List<WindowAggregate> expected) {
		if (!actual.equals(expected)) {
			throw new IllegalStateException("The engine restored from " + what + " computed other results ("
					+ actual.size() + " vs " + expected.size() + " windows): the figures would mean nothing");
		}
	}

	private static String rounded(List<Double> values) {
		return values.stream().map((value) -> String.format("%,.0f", value)).toList().toString();
	}

}
