package io.millrace.processing.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowAggregate.WindowKey;
import io.millrace.processing.engine.StreamEngine.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An engine restored from a snapshot and fed the rest of the stream emits exactly what an
 * uninterrupted engine emits: same records, same order, same revisions and values. This
 * is the property exactly-once recovery is built on.
 */
class EngineSnapshotTests {

	private static final EngineOracleTests.Stream STREAM = new EngineOracleTests.Stream(11, 20_000);

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
