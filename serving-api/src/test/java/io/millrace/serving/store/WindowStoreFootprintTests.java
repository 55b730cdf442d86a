package io.millrace.serving.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.model.json.MillraceJson;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.Decoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes per stored window, measured as the heap the store holds after a full GC (not a
 * unit test: off unless {@code -Dmillrace.footprint=true}; about a minute). The peer,
 * measured in the same run, is what the previous store held: each decoded
 * {@link WindowAggregate} in a map by its {@link WindowAggregate.WindowKey}. Records go
 * through the real decoder, as the consumer's do, so their strings are the decoder's own.
 * Figures in docs/benchmarks.md.
 * <p>
 * {@code ./mvnw -o -pl serving-api -am verify -Dtest=WindowStoreFootprintTests
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dmillrace.footprint=true}, and
 * {@code -Dmillrace.footprint.sketches=true} for windows with quantile sketches
 */
@EnabledIfSystemProperty(named = "millrace.footprint", matches = "true")
class WindowStoreFootprintTests {

	private static final int SENSORS = 1_000;

	private static final int MINUTES = 400;

	private static final int WINDOWS = SENSORS * MINUTES;

	private static final int ROUNDS = 3;

	/**
	 * With {@code -Dmillrace.footprint.sketches=true} every window carries the sketch of
	 * 60 readings around its level (a 1 Hz sensor's minute, N(level, 2)), as processing
	 * emits them by default.
	 */
	private static final boolean SKETCHES = Boolean.getBoolean("millrace.footprint.sketches");

	private final Decoder<WindowAggregate> decoder = ContractDecoders.windowAggregates();

	@Test
	void measuresBytesPerStoredWindowAgainstTheDecodedRecords() throws Exception {
		// The payloads, once: a sensor's minutes as the topic carries them.
		List<byte[]> payloads = new ArrayList<>(WINDOWS);
		Random sketches = new Random(60);
		for (int minute = 0; minute < MINUTES; minute++) {
			for (int sensor = 0; sensor < SENSORS; sensor++) {
				WindowAggregate aggregate = minute("sensor-" + sensor, "temperature", minute, 20 + sensor % 50, true,
						0);
				payloads.add(MillraceJson.mapper()
					.writeValueAsBytes(
							SKETCHES ? aggregate.withSketch(sketch(sketches, 20 + sensor % 50)) : aggregate));
			}
		}
		double[] store = new double[ROUNDS];
		double[] peer = new double[ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			store[round] = measure(() -> {
				WindowStore held = new WindowStore(Duration.ofDays(30), 10_000_000, Duration.ofMinutes(1),
						Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
				for (byte[] payload : payloads) {
					held.upsert(this.decoder.decode(payload).value());
				}
				assertThat(held.windowCount()).isEqualTo(WINDOWS);
				return held;
			});
			peer[round] = measure(() -> {
				Map<WindowAggregate.WindowKey, WindowAggregate> held = new HashMap<>();
				for (byte[] payload : payloads) {
					WindowAggregate aggregate = this.decoder.decode(payload).value();
					held.put(aggregate.key(), aggregate);
				}
				assertThat(held).hasSize(WINDOWS);
				return held;
			});
			System.out.printf("round %d: store %.1f B/window, decoded records by key %.1f B/window%n", round + 1,
					store[round], peer[round]);
		}
		double storeMedian = median(store);
		double peerMedian = median(peer);
		System.out.printf(
				"%d windows (%d sensors x %d one-minute windows), median of %d rounds: store %.1f B/window, "
						+ "peer %.1f B/window, ratio %.2f; payload %.0f B/window as JSON%n",
				WINDOWS, SENSORS, MINUTES, ROUNDS, storeMedian, peerMedian, storeMedian / peerMedian,
				payloads.stream().mapToInt((payload) -> payload.length).average().orElse(0));
		System.out.println("example payload: " + new String(payloads.get(0), StandardCharsets.UTF_8));
		assertThat(storeMedian).isLessThan(peerMedian);
		upsertCost(payloads);
	}

	/**
	 * Time per upsert of already decoded aggregates into a store of 100,000 and of
	 * 400,000 windows (O(log n) grows little), against a {@code HashMap} put by window
	 * key (O(1), no ordering, no change index): medians of {@link #ROUNDS} rounds.
	 */
	private void upsertCost(List<byte[]> payloads) {
		List<WindowAggregate> decoded = new ArrayList<>(payloads.size());
		payloads.forEach((payload) -> decoded.add(this.decoder.decode(payload).value()));
		for (int size : new int[] { WINDOWS / 4, WINDOWS }) {
			List<WindowAggregate> input = decoded.subList(0, size);
			double[] store = new double[ROUNDS];
			double[] peer = new double[ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				WindowStore held = new WindowStore(Duration.ofDays(30), 10_000_000, Duration.ofMinutes(1),
						Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
				long start = System.nanoTime();
				input.forEach(held::upsert);
				store[round] = (System.nanoTime() - start) / (double) size;
				Map<WindowAggregate.WindowKey, WindowAggregate> map = new HashMap<>();
				start = System.nanoTime();
				input.forEach((aggregate) -> map.put(aggregate.key(), aggregate));
				peer[round] = (System.nanoTime() - start) / (double) size;
			}
			System.out.printf("upsert into %d windows: store %.0f ns, HashMap put %.0f ns (medians of %d)%n", size,
					median(store), median(peer), ROUNDS);
		}
	}

	private static WindowSketch sketch(Random random, double level) {
		WindowSketch.Accumulator accumulator = new WindowSketch.Accumulator(0.01);
		for (int i = 0; i < 60; i++) {
			accumulator.add(level + random.nextGaussian() * 2);
		}
		return accumulator.toSketch();
	}

	/** Heap held by what {@code fill} returns, per window. */
	private static double measure(java.util.concurrent.Callable<Object> fill) throws Exception {
		long before = settledHeap();
		Object held = fill.call();
		long after = settledHeap();
		double perWindow = (after - before) / (double) WINDOWS;
		// keep it reachable until measured
		assertThat(held).isNotNull();
		return perWindow;
	}

	private static long settledHeap() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
