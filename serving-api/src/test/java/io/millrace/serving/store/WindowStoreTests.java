package io.millrace.serving.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import org.junit.jupiter.api.Test;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;

class WindowStoreTests {

	/** A wall clock well after the test data, so that the newest window end is "now". */
	private static final Clock LATER = Clock.fixed(T0.plus(Duration.ofDays(365)), ZoneOffset.UTC);

	private final WindowStore store = new WindowStore(Duration.ofHours(1), 1_000_000, Duration.ZERO, LATER);

	@Test
	void aFinalResultReplacesEarlyOnesAndIsNotReplacedByThem() {
		assertThat(this.store.upsert(minute("s1", "t", 0, 1, false, 0))).isTrue();
		assertThat(this.store.upsert(minute("s1", "t", 0, 2, false, 1))).isTrue();
		assertThat(this.store.upsert(minute("s1", "t", 0, 1, false, 0))).as("an older revision").isFalse();
		assertThat(this.store.upsert(minute("s1", "t", 0, 3, true, 2))).isTrue();
		assertThat(this.store.upsert(minute("s1", "t", 0, 4, false, 5))).as("early after final").isFalse();
		assertThat(this.store.upsert(minute("s1", "t", 0, 3, true, 2))).as("a replay").isFalse();
		assertThat(windows("s1")).singleElement().satisfies((window) -> {
			assertThat(window.max()).isEqualTo(3.0);
			assertThat(window.isFinal()).isTrue();
			assertThat(window.revision()).isEqualTo(2);
		});
		assertThat(this.store.windowCount()).isEqualTo(1);
		assertThat(this.store.superseded()).isEqualTo(3);
	}

	@Test
	void everyOrderOfReEmissionsAndRevisionsConvergesToTheSameState() {
		List<WindowAggregate> emissions = new ArrayList<>();
		for (int minute = 0; minute < 20; minute++) {
			for (int revision = 0; revision < 3; revision++) {
				emissions.add(minute("s1", "t", minute, minute * 10 + revision, false, revision));
			}
			emissions.add(minute("s1", "t", minute, minute * 10 + 3, true, 3));
			emissions.add(minute("s2", "t", minute, minute, true, 0));
		}
		List<WindowAggregate> expected = null;
		Random random = new Random(42);
		for (int run = 0; run < 20; run++) {
			List<WindowAggregate> shuffled = new ArrayList<>(emissions);
			Collections.shuffle(shuffled, random);
			// every record twice: a topic re-read
			shuffled.addAll(shuffled.subList(0, shuffled.size() / 2));
			WindowStore fresh = new WindowStore(Duration.ofHours(1), 1_000_000, Duration.ZERO, LATER);
			shuffled.forEach(fresh::upsert);
			List<WindowAggregate> state = new ArrayList<>();
			for (String sensor : List.of("s1", "s2")) {
				for (Series series : fresh.sensor(sensor).series()) {
					series.windows().values().forEach((window) -> state.add(window.toAggregate()));
				}
			}
			assertThat(state).hasSize(40).allSatisfy((window) -> assertThat(window.isFinal()).isTrue());
			if (expected == null) {
				expected = state;
			}
			assertThat(state).isEqualTo(expected);
		}
		assertThat(expected.get(0).max()).isEqualTo(3.0);
	}

	@Test
	void keepsTheContractFieldsOfEachWindow() {
		WindowAggregate aggregate = minute("s1", "temperature", 3, 42, true, 1);
		this.store.upsert(aggregate);
		assertThat(windows("s1")).singleElement().isEqualTo(aggregate);
		WindowAggregate hopping = new WindowAggregate(
				"s1", "temperature", new AggregateWindow("hopping", T0, T0.plusSeconds(300), Duration.ofMinutes(5),
						Duration.ofMinutes(1), null),
				3, 6, 1, 3, 2, null, null, null, null, null, null, true, 0, null, null);
		this.store.upsert(hopping);
		assertThat(this.store.sensor("s1").series()).extracting((series) -> series.key().kind())
			.containsExactly("hopping", "tumbling");
		assertThat(this.store.sensor("s1").series().get(0).newest().toAggregate()).isEqualTo(hopping);
	}

	@Test
	void forgetsWindowsOlderThanTheRetentionAndSensorsSilentForLonger() {
		this.store.upsert(minute("quiet", "t", 0, 1, true, 0));
		this.store.upsert(minute("busy", "t", 0, 1, true, 0));
		this.store.upsert(minute("busy", "t", 59, 2, true, 0));
		assertThat(this.store.sensorCount()).isEqualTo(2);
		this.store.upsert(minute("busy", "t", 61, 3, true, 0));
		this.store.sweep();
		// now = 10:62 → horizon 09:62 = 10:02: windows ending at or before it go
		assertThat(this.store.sensor("quiet")).isNull();
		assertThat(windows("busy")).extracting(WindowAggregate::max).containsExactly(2.0, 3.0);
		assertThat(this.store.evictedByAge()).isEqualTo(2);
		assertThat(this.store.windowCount()).isEqualTo(2);
		assertThat(this.store.upsert(minute("late", "t", 0, 1, true, 0))).as("already past the retention").isFalse();
		assertThat(this.store.rejectedAsExpired()).isEqualTo(1);
		assertThat(this.store.sensor("late")).isNull();
	}

	@Test
	void retentionCountsFromTheWallClockWhenEventTimeRunsAhead() {
		Clock wall = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
		WindowStore store = new WindowStore(Duration.ofMinutes(30), 1000, Duration.ZERO, wall);
		store.upsert(minute("s1", "t", 0, 1, true, 0));
		// a sensor whose clock is a day ahead does not push everyone else out
		store.upsert(minute("skewed", "t", 24 * 60, 1, true, 0));
		store.sweep();
		assertThat(store.sensor("s1")).isNotNull();
		assertThat(store.nowMillis()).isEqualTo(T0.plusSeconds(600).toEpochMilli());
	}

	@Test
	void evictsTheOldestWindowsOfTheWholeStorePastTheBound() {
		WindowStore bounded = new WindowStore(Duration.ofDays(1), 100, Duration.ofDays(1), LATER);
		for (int minute = 0; minute < 60; minute++) {
			bounded.upsert(minute("a", "t", minute, 1, true, 0));
			bounded.upsert(minute("b", "t", minute + 30, 1, true, 0));
		}
		// 120 windows offered, at most 100 held; one eviction goes down to 99
		assertThat(bounded.windowCount()).isLessThanOrEqualTo(100);
		assertThat(bounded.evictedByCapacity()).isEqualTo(120 - bounded.windowCount());
		long oldestKept = Math.min(bounded.sensor("a").series().get(0).windows().firstKey(),
				bounded.sensor("b").series().get(0).windows().firstKey());
		// everything evicted is older than everything kept
		assertThat(bounded.sensor("a").series().get(0).windows().firstKey()).isEqualTo(oldestKept);
		assertThat(oldestKept).isGreaterThan(T0.toEpochMilli());
		assertThat(bounded.sensor("b").series().get(0).size()).isEqualTo(60);
		assertThat(bounded.evictedThrough()).isPositive();
	}

	@Test
	void theChangeIndexHoldsEachWindowOnceInItsNewestVersion() {
		this.store.upsert(minute("s1", "t", 0, 1, false, 0));
		long first = this.store.lastSequence();
		this.store.upsert(minute("s1", "t", 1, 1, false, 0));
		this.store.upsert(minute("s1", "t", 0, 2, true, 1));
		assertThat(this.store.changedAfter(0)).extracting((window) -> window.toAggregate().max())
			.containsExactly(1.0, 2.0);
		assertThat(this.store.changedAfter(first)).hasSize(2);
		assertThat(this.store.changedAfter(this.store.lastSequence())).isEmpty();
		assertThat(this.store.lastSequence()).isEqualTo(3);
	}

	@Test
	void readersRunWhileTheWriterUpsertsAndSeeWholeWindows() throws Exception {
		WindowStore bounded = new WindowStore(Duration.ofHours(2), 20_000, Duration.ofMillis(5), LATER);
		AtomicBoolean writing = new AtomicBoolean(true);
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		CountDownLatch readersDone = new CountDownLatch(3);
		for (int r = 0; r < 3; r++) {
			Thread reader = new Thread(() -> {
				try {
					long reads = 0;
					while (writing.get() || reads == 0) {
						for (StoredSensor sensor : bounded.sensors(null, null)) {
							for (Series series : sensor.series()) {
								for (StoredWindow window : series.startingIn(Long.MIN_VALUE, Long.MAX_VALUE)) {
									WindowAggregate aggregate = window.toAggregate();
									// each version was written whole: max = revision +
									// 1000 * minute
									long minute = (aggregate.window().start().toEpochMilli() - T0.toEpochMilli())
											/ 60_000;
									assertThat(aggregate.max()).isEqualTo(aggregate.revision() + 1000.0 * minute);
									assertThat(aggregate.sum()).isEqualTo(2 * aggregate.max() - 1);
									reads++;
								}
							}
						}
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
				finally {
					readersDone.countDown();
				}
			});
			reader.start();
		}
		Random random = new Random(7);
		for (int i = 0; i < 200_000; i++) {
			int minute = random.nextInt(120);
			int revision = random.nextInt(5);
			bounded.upsert(minute("s" + random.nextInt(200), "t", minute, revision + 1000.0 * minute, revision == 4,
					revision));
		}
		writing.set(false);
		readersDone.await();
		assertThat(failures).isEmpty();
		assertThat(bounded.windowCount()).isLessThanOrEqualTo(20_000);
		long counted = bounded.allSeries().stream().mapToLong(Series::size).sum();
		assertThat(counted).isEqualTo(bounded.windowCount());
		assertThat(bounded.changedAfter(0)).hasSize((int) counted);
	}

	private List<WindowAggregate> windows(String sensor) {
		List<WindowAggregate> all = new ArrayList<>();
		for (Series series : this.store.sensor(sensor).series()) {
			series.windows().values().forEach((window) -> all.add(window.toAggregate()));
		}
		return all;
	}

	static Instant at(int minute) {
		return T0.plusSeconds(60L * minute);
	}

}
