package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowAggregate.WindowKey;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.StreamEngine.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An engine restored from a snapshot and fed the rest of the stream emits exactly what an
 * uninterrupted engine emits: same records, same order, same revisions and values. This
 * is the property exactly-once recovery is built on.
 */
class EngineSnapshotTests {

	private static final EngineOracleTests.Stream STREAM = new EngineOracleTests.Stream(11, 20_000);

	private static final Map<Boolean, List<WindowAggregate>> UNINTERRUPTED = new ConcurrentHashMap<>();

	/**
	 * With early results and allowed lateness too: the position up to which on-time
	 * results were emitted is the partition's watermark, which the snapshot holds, so a
	 * restored engine emits each on-time result once, and none for a window opened late.
	 */
	@ParameterizedTest
	@CsvSource({ "1, false", "4321, false", "10000, false", "19999, false", "4321, true", "10000, true",
			"15555, true" })
	void aRestoredEngineContinuesExactlyAsTheOriginal(int cut, boolean early) {
		List<EngineOracleTests.Generated> events = STREAM.events;
		ManualClock uninterruptedClock = EngineOracleTests.clock();
		StreamEngine uninterrupted = new StreamEngine(EngineOracleTests.config(early), uninterruptedClock);
		List<WindowAggregate> expected = feed(uninterrupted, uninterruptedClock, events, 0, events.size());
		expected.addAll(uninterrupted.drain());

		ManualClock firstClock = EngineOracleTests.clock();
		StreamEngine first = new StreamEngine(EngineOracleTests.config(early), firstClock);
		List<WindowAggregate> actual = feed(first, firstClock, events, 0, cut);
		byte[] snapshot = first.snapshot();

		ManualClock secondClock = EngineOracleTests.clock();
		StreamEngine second = new StreamEngine(EngineOracleTests.config(early), secondClock);
		second.restore(snapshot);
		actual.addAll(feed(second, secondClock, events, cut, events.size()));
		actual.addAll(second.drain());

		assertThat(actual).hasSameSizeAs(expected);
		assertThat(actual).containsExactlyElementsOf(expected);
		for (Disposition disposition : Disposition.values()) {
			assertThat(second.count(disposition)).isEqualTo(uninterrupted.count(disposition));
		}
		assertThat(second.emittedByKind()).isEqualTo(uninterrupted.emittedByKind());
	}

	@Test
	void partitionsHandedToAnotherEngineKeepEveryFinalResult() {
		List<EngineOracleTests.Generated> events = STREAM.events;
		ManualClock uninterruptedClock = EngineOracleTests.clock();
		StreamEngine uninterrupted = new StreamEngine(EngineOracleTests.config(), uninterruptedClock);
		List<WindowAggregate> all = feed(uninterrupted, uninterruptedClock, events, 0, events.size());
		all.addAll(uninterrupted.drain());
		Map<WindowKey, WindowAggregate> expected = finals(all);

		ManualClock firstClock = EngineOracleTests.clock();
		ManualClock secondClock = EngineOracleTests.clock();
		StreamEngine first = new StreamEngine(EngineOracleTests.config(), firstClock);
		StreamEngine second = new StreamEngine(EngineOracleTests.config(), secondClock);
		int cut = 10_000;
		List<WindowAggregate> emitted = feed(first, firstClock, events, 0, cut);
		for (String moved : List.of("p2", "p3")) {
			assertThat(second.restorePartition(first.snapshotPartition(moved))).isEqualTo(moved);
			first.releasePartition(moved);
		}
		for (int i = cut; i < events.size(); i++) {
			EngineOracleTests.Generated generated = events.get(i);
			boolean moved = generated.partition().equals("p2") || generated.partition().equals("p3");
			ManualClock clock = moved ? secondClock : firstClock;
			clock.set(generated.now());
			emitted.addAll((moved ? second : first).onEvent(generated.partition(), generated.event()).emitted());
		}
		emitted.addAll(first.drain());
		emitted.addAll(second.drain());

		Map<WindowKey, WindowAggregate> actual = finals(emitted);
		assertThat(actual.keySet()).isEqualTo(expected.keySet());
		expected.forEach((key, aggregate) -> assertThat(EmissionRules.withoutEmissionTime(actual.get(key)))
			.isEqualTo(EmissionRules.withoutEmissionTime(aggregate)));
	}

	@Test
	void aSnapshotIsRefusedByAnEngineConfiguredDifferently() {
		StreamEngine engine = new StreamEngine(EngineOracleTests.config(), EngineOracleTests.clock());
		byte[] snapshot = engine.snapshot();
		StreamEngine other = new StreamEngine(new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(5))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5),
				Duration.ofMinutes(10), null, 0.01), EngineOracleTests.clock());
		assertThatIllegalArgumentException().isThrownBy(() -> other.restore(snapshot))
			.withMessageContaining("another configuration");
		assertThatIllegalArgumentException().isThrownBy(() -> engine.restore(new byte[] { 1, 2, 3, 4, 5 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> engine.restore(java.util.Arrays.copyOf(snapshot, snapshot.length / 2)));
	}

	/**
	 * A full snapshot of every partition at one point and deltas at several later ones.
	 * At every delta, each partition restored from its snapshot and the deltas so far is
	 * the partition as it is then ({@link #assertSameAsNow}). At one of them, an engine
	 * whose partitions are restored so emits, for the rest of the stream, exactly what
	 * the original emits (which takes the snapshots and emits exactly what an engine that
	 * takes none emits). The engine-wide scalars a partition snapshot does not hold (the
	 * early-emission clock, the operator watermark, counters) come from an engine
	 * snapshot taken at the same moment; every partition's state is then replaced from
	 * its snapshot and deltas alone.
	 * <p>
	 * Deltas are taken where every partition is receiving events, because a restored
	 * partition counts as active from the moment it is restored; some where windows the
	 * watermark has passed are still open for late readings (seconds 67, 127 and 187: the
	 * watermark is 2 s past a window end), some where none is.
	 */
	@ParameterizedTest
	@CsvSource({ "1, false", "2, false", "3, false", "5, false", "1, true", "3, true", "4, true", "5, true" })
	void anEngineRestoredFromSnapshotsAndDeltasContinuesExactlyAsTheOriginal(int deltasRestored, boolean early) {
		List<EngineOracleTests.Generated> events = STREAM.events;
		List<String> partitions = List.of("p0", "p1", "p2", "p3");
		List<WindowAggregate> expected = uninterrupted(events, early);

		ManualClock originalClock = EngineOracleTests.clock();
		StreamEngine original = new StreamEngine(EngineOracleTests.config(early), originalClock);
		int base = 3_000;
		List<WindowAggregate> emitted = feed(original, originalClock, events, 0, base);
		Map<String, byte[]> bases = new HashMap<>();
		partitions.forEach((partition) -> bases.put(partition, original.snapshotPartition(partition)));
		Map<String, List<byte[]>> deltas = new HashMap<>();
		partitions.forEach((partition) -> deltas.put(partition, new ArrayList<>()));
		int position = base;
		byte[] engineAtRestore = null;
		int restoreAt = 0;
		int emittedAtRestore = 0;
		for (int point : atSeconds(events, 67, 80, 127, 140, 187)) {
			emitted.addAll(feed(original, originalClock, events, position, point));
			position = point;
			partitions.forEach((partition) -> deltas.get(partition).add(original.snapshotPartitionChanges(partition)));
			byte[] engineNow = original.snapshot();
			for (String partition : partitions) {
				assertSameAsNow(engineNow, partition, bases.get(partition), deltas.get(partition), early);
			}
			if (deltas.get("p0").size() == deltasRestored) {
				engineAtRestore = engineNow;
				restoreAt = point;
				emittedAtRestore = emitted.size();
			}
		}
		emitted.addAll(feed(original, originalClock, events, position, events.size()));
		emitted.addAll(original.drain());
		assertThat(emitted).as("taking snapshots changes nothing").containsExactlyElementsOf(expected);

		ManualClock restoredClock = EngineOracleTests.clock();
		restoredClock.set(events.get(restoreAt - 1).now());
		StreamEngine restored = new StreamEngine(EngineOracleTests.config(early), restoredClock);
		restored.restore(engineAtRestore);
		for (String partition : partitions) {
			List<byte[]> changes = deltas.get(partition).subList(0, deltasRestored);
			assertThat(restored.restorePartition(bases.get(partition), changes)).isEqualTo(partition);
		}
		List<WindowAggregate> actual = new ArrayList<>(emitted.subList(0, emittedAtRestore));
		actual.addAll(feed(restored, restoredClock, events, restoreAt, events.size()));
		actual.addAll(restored.drain());

		assertThat(actual).hasSameSizeAs(expected);
		assertThat(actual).containsExactlyElementsOf(expected);
	}

	/**
	 * A partition restored from its snapshot and deltas is the partition as the engine
	 * holds it now: the same watermark, the same position its windows are closed to, the
	 * same windows (draining emits every one with its revision and statistics). "Now" is
	 * read from an engine snapshot, which leaves the original's chain of deltas alone.
	 */
	private static void assertSameAsNow(byte[] engineNow, String partition, byte[] base, List<byte[]> deltas,
			boolean early) {
		ManualClock clock = EngineOracleTests.clock();
		StreamEngine copy = new StreamEngine(EngineOracleTests.config(early), clock);
		copy.restore(engineNow);
		StreamEngine now = new StreamEngine(EngineOracleTests.config(early), clock);
		now.restorePartition(copy.snapshotPartition(partition));
		StreamEngine fromDeltas = new StreamEngine(EngineOracleTests.config(early), clock);
		fromDeltas.restorePartition(base, deltas);
		String as = partition + " after " + deltas.size() + " deltas";
		assertThat(fromDeltas.watermark(partition)).as(as).isEqualTo(now.watermark(partition));
		assertThat(fromDeltas.watermark()).as(as).isEqualTo(now.watermark());
		assertThat(fromDeltas.openWindows()).as(as).isEqualTo(now.openWindows());
		assertThat(fromDeltas.drain()).as(as).containsExactlyElementsOf(now.drain());
	}

	@Test
	void aDeltaTakenRightAfterAnotherIsTiny() {
		List<EngineOracleTests.Generated> events = STREAM.events;
		ManualClock clock = EngineOracleTests.clock();
		StreamEngine engine = new StreamEngine(EngineOracleTests.config(true), clock);
		feed(engine, clock, events, 0, 8_000);
		byte[] base = engine.snapshotPartition("p0");
		feed(engine, clock, events, 8_000, 9_000);
		byte[] changes = engine.snapshotPartitionChanges("p0");
		byte[] none = engine.snapshotPartitionChanges("p0");
		byte[] stillNone = engine.snapshotPartitionChanges("p0");

		// The header (format, configuration, partition, the delta it follows), the
		// watermark, closedTo, an empty dedupe change and an empty count per window kind.
		assertThat(none.length).isLessThan(256).isLessThan(changes.length / 10);
		assertThat(stillNone).hasSize(none.length);
		List<WindowAggregate> rest = engine.drain();
		StreamEngine restored = new StreamEngine(EngineOracleTests.config(true), clock);
		restored.restorePartition(base, List.of(changes, none, stillNone));
		assertThat(restored.drain()).containsExactlyElementsOf(
				rest.stream().filter((aggregate) -> partitionOf(aggregate, events).equals("p0")).toList());
	}

	@Test
	void aDeltaOfAFewChangedSeriesAmongManyIsMuchSmallerThanTheSnapshot() {
		ManualClock clock = EngineOracleTests.clock();
		StreamEngine engine = new StreamEngine(EngineOracleTests.config(), clock);
		long t0 = clock.millis();
		Random random = new Random(5);
		int sensors = 5_000;
		for (int sensor = 0; sensor < sensors; sensor++) {
			engine.onEvent("p0", event("a" + sensor, "sensor-" + sensor, t0 + random.nextInt(1_000), random));
		}
		byte[] base = engine.snapshotPartition("p0");
		// 1% of the series get a reading; no window closes (the watermark, the newest
		// reading minus 5 s, stays below every reading).
		for (int sensor = 0; sensor < sensors; sensor += 100) {
			engine.onEvent("p0", event("b" + sensor, "sensor-" + sensor, t0 + 1_000 + random.nextInt(100), random));
		}
		byte[] changes = engine.snapshotPartitionChanges("p0");

		assertThat(changes.length).as("delta of %s bytes vs snapshot of %s", changes.length, base.length)
			.isLessThan(base.length / 50);
		StreamEngine restored = new StreamEngine(EngineOracleTests.config(), clock);
		restored.restorePartition(base, List.of(changes));
		assertThat(restored.openWindows()).isEqualTo(engine.openWindows());
		assertThat(restored.drain()).containsExactlyElementsOf(engine.drain());
	}

	/** A restored partition's next delta follows the last one it was restored from. */
	@Test
	void deltasContinueTheChainAfterARestore() {
		ManualClock clock = EngineOracleTests.clock();
		StreamEngine original = new StreamEngine(EngineOracleTests.config(true), clock);
		List<EngineOracleTests.Generated> p0 = STREAM.events.stream()
			.filter((generated) -> generated.partition().equals("p0"))
			.toList();
		feed(original, clock, p0, 0, 1_000);
		byte[] base = original.snapshotPartition("p0");
		feed(original, clock, p0, 1_000, 2_000);
		byte[] first = original.snapshotPartitionChanges("p0");

		StreamEngine moved = new StreamEngine(EngineOracleTests.config(true), clock);
		moved.restorePartition(base, List.of(first));
		feed(moved, clock, p0, 2_000, 3_000);
		byte[] second = moved.snapshotPartitionChanges("p0");

		StreamEngine movedAgain = new StreamEngine(EngineOracleTests.config(true), clock);
		movedAgain.restorePartition(base, List.of(first, second));
		assertThat(movedAgain.drain()).isNotEmpty().containsExactlyElementsOf(moved.drain());
	}

	@Test
	void deltasAreRefusedUnlessTheyFollowTheirBaseInOrder() {
		List<EngineOracleTests.Generated> events = STREAM.events;
		ManualClock clock = EngineOracleTests.clock();
		StreamEngine engine = new StreamEngine(EngineOracleTests.config(), clock);
		feed(engine, clock, events, 0, 4_000);
		assertThatIllegalStateException().isThrownBy(() -> engine.snapshotPartitionChanges("p0"))
			.withMessageContaining("none was taken or restored");
		assertThatIllegalStateException().isThrownBy(() -> engine.snapshotPartitionChanges("p9"));
		byte[] base = engine.snapshotPartition("p0");
		byte[] otherBase = engine.snapshotPartition("p1");
		feed(engine, clock, events, 4_000, 5_000);
		byte[] first = engine.snapshotPartitionChanges("p0");
		byte[] otherFirst = engine.snapshotPartitionChanges("p1");
		feed(engine, clock, events, 5_000, 6_000);
		byte[] second = engine.snapshotPartitionChanges("p0");

		StreamEngine target = new StreamEngine(EngineOracleTests.config(), clock);
		target.restorePartition(otherBase, List.of(otherFirst));
		long openBefore = target.openWindows();
		assertThat(openBefore).isPositive();
		for (List<byte[]> wrong : List.of(List.of(second), List.of(first, first), List.of(second, first),
				List.of(first, second, second), List.of(otherFirst), List.of(first, otherFirst))) {
			assertThatIllegalArgumentException().isThrownBy(() -> target.restorePartition(base, wrong));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> target.restorePartition(base, List.of(base)))
			.withMessageContaining("Not a snapshot of this kind");
		assertThatIllegalArgumentException().isThrownBy(() -> target.restorePartition(first, List.of()))
			.withMessageContaining("Not a snapshot of this kind");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> target.restorePartition(base, List.of(Arrays.copyOf(first, first.length - 3))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> target.restorePartition(base, List.of(Arrays.copyOf(first, first.length + 1))));
		StreamEngine otherConfiguration = new StreamEngine(new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(5))), Duration.ofSeconds(5), Duration.ZERO,
				Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10), null, 0.01), clock);
		byte[] otherConfigurationBase = otherConfiguration.snapshotPartition("p0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> otherConfiguration.restorePartition(otherConfigurationBase, List.of(first)))
			.withMessageContaining("another configuration");
		assertThat(target.openWindows()).as("a refused restore changes nothing").isEqualTo(openBefore);
		assertThat(target.restorePartition(base, List.of(first, second))).isEqualTo("p0");
		assertThat(target.openWindows()).isGreaterThan(openBefore);
	}

	/** The uninterrupted run's emissions, computed once per configuration. */
	private static List<WindowAggregate> uninterrupted(List<EngineOracleTests.Generated> events, boolean early) {
		return UNINTERRUPTED.computeIfAbsent(early, (ignored) -> {
			ManualClock clock = EngineOracleTests.clock();
			StreamEngine engine = new StreamEngine(EngineOracleTests.config(early), clock);
			List<WindowAggregate> emitted = feed(engine, clock, events, 0, events.size());
			emitted.addAll(engine.drain());
			return List.copyOf(emitted);
		});
	}

	/**
	 * The index of the first event at or after each of the given seconds of the stream,
	 * each in partition 3's active half-minute, well inside it, so that every partition
	 * has had an event within the last second and gets another within the next.
	 */
	private static List<Integer> atSeconds(List<EngineOracleTests.Generated> events, int... seconds) {
		List<Integer> points = new ArrayList<>();
		long t0 = EngineOracleTests.clock().millis();
		for (int second : seconds) {
			int i = 1;
			while (events.get(i - 1).now().toEpochMilli() < t0 + second * 1_000L) {
				i++;
			}
			long now = events.get(i - 1).now().toEpochMilli();
			assertThat((now / 30_000) % 2 == 0 && now % 30_000 >= 2_000 && now % 30_000 <= 25_000)
				.as("second %s is in partition 3's active half-minute", second)
				.isTrue();
			points.add(i);
		}
		return points;
	}

	private static String partitionOf(WindowAggregate aggregate, List<EngineOracleTests.Generated> events) {
		return events.stream()
			.filter((generated) -> generated.event().sensorId().equals(aggregate.sensorId()))
			.map(EngineOracleTests.Generated::partition)
			.findFirst()
			.orElseThrow();
	}

	private static TelemetryEvent event(String id, String sensorId, long time, Random random) {
		return new TelemetryEvent(id, sensorId, Instant.ofEpochMilli(time), 50 + random.nextGaussian() * 10, null, null,
				1, null);
	}

	private static Map<WindowKey, WindowAggregate> finals(List<WindowAggregate> emitted) {
		Map<WindowKey, WindowAggregate> finals = new HashMap<>();
		for (WindowAggregate aggregate : emitted) {
			if (aggregate.isFinal()) {
				assertThat(finals.put(aggregate.key(), aggregate)).as("final twice: " + aggregate.key()).isNull();
			}
		}
		return finals;
	}

	private static List<WindowAggregate> feed(StreamEngine engine, ManualClock clock,
			List<EngineOracleTests.Generated> events, int from, int to) {
		List<WindowAggregate> emitted = new ArrayList<>();
		for (int i = from; i < to; i++) {
			EngineOracleTests.Generated generated = events.get(i);
			clock.set(generated.now());
			emitted.addAll(engine.onEvent(generated.partition(), generated.event()).emitted());
			if (i % 250 == 249) {
				engine.onTick().values().forEach(emitted::addAll);
			}
		}
		return emitted;
	}

}
