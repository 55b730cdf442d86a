package io.millrace.benchmarks.state;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.EngineConfig;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.engine.WindowSpec;

/**
 * Heap held by the engine's state for many open sensor windows, and the time to snapshot
 * and restore it, as a partition checkpoint does. The peer is the same state without
 * quantile sketches, so the sketches' share is visible. Each configuration also runs with
 * events that carry no id, so nothing enters the dedupe memory: that heap is the window
 * state alone, and the difference is the dedupe memory's (which grows with events, not
 * windows).
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.state.StateFootprintBenchmark [sensors] [eventsPerSensor]}
 */
public final class StateFootprintBenchmark {

	private StateFootprintBenchmark() {
	}

	public static void main(String[] args) {
		int sensors = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int eventsPerSensor = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		for (double accuracy : new double[] { 0.01, 0 }) {
			measure(sensors, eventsPerSensor, accuracy, true);
			measure(sensors, eventsPerSensor, accuracy, false);
		}
	}

	private static void measure(int sensors, int eventsPerSensor, double accuracy, boolean withIds) {
		Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
		Clock clock = Clock.fixed(t0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
		EngineConfig config = new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
						new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5),
				Duration.ofMinutes(10), null, accuracy);
		long before = usedHeap();
		StreamEngine engine = new StreamEngine(config, clock);
		Random random = new Random(1);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < sensors; i++) {
			order.add(i);
		}
		// Within one minute of event time, so every sensor keeps one open tumbling window
		// and five open hopping windows.
		long id = 0;
		for (int round = 0; round < eventsPerSensor; round++) {
			Collections.shuffle(order, random);
			for (int sensor : order) {
				Instant time = t0.plusMillis(round * 50_000L / eventsPerSensor + random.nextInt(1000));
				String eventId = withIds ? "e" + id : null;
				id++;
				engine.onEvent("p" + (sensor % 4), new TelemetryEvent(eventId, "sensor-" + sensor, time,
						50 + random.nextGaussian() * 10, null, null, 1, null));
			}
		}
		long heap = usedHeap() - before;
		if (engine.openWindows() == 0) {
			throw new IllegalStateException("No open windows: the benchmark measured nothing");
		}
		if (!withIds) {
			System.out.printf(
					"%,d sensors, %,d events without ids, quantiles %s: %,d open windows, heap %,.1f MB = %,d bytes per open window (window state alone; estimate %,.1f MB)%n",
					sensors, id, (accuracy > 0) ? accuracy : "off", engine.openWindows(), heap / 1e6,
					heap / Math.max(1, engine.openWindows()), engine.estimatedStateBytes() / 1e6);
			return;
		}
		long snapshotNanos = Long.MAX_VALUE;
		long restoreNanos = Long.MAX_VALUE;
		long bytes = 0;
		for (int run = 0; run < 5; run++) {
			long started = System.nanoTime();
			List<byte[]> snapshots = new ArrayList<>();
			for (int partition = 0; partition < 4; partition++) {
				snapshots.add(engine.snapshotPartition("p" + partition));
			}
			snapshotNanos = Math.min(snapshotNanos, System.nanoTime() - started);
			bytes = snapshots.stream().mapToLong((snapshot) -> snapshot.length).sum();
			StreamEngine restored = new StreamEngine(config, clock);
			started = System.nanoTime();
			snapshots.forEach(restored::restorePartition);
			restoreNanos = Math.min(restoreNanos, System.nanoTime() - started);
		}
		System.out.printf(
				"%,d sensors, %,d events, quantiles %s: %,d open windows, heap %,.1f MB = %,d bytes per open window (estimate %,.1f MB, %,d dedupe ids), "
						+ "snapshot %,.1f MB in %,d ms, restore %,d ms (best of 5)%n",
				sensors, id, (accuracy > 0) ? accuracy : "off", engine.openWindows(), heap / 1e6,
				heap / Math.max(1, engine.openWindows()), engine.estimatedStateBytes() / 1e6, id, bytes / 1e6,
				snapshotNanos / 1_000_000, restoreNanos / 1_000_000);
	}

	private static long usedHeap() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
