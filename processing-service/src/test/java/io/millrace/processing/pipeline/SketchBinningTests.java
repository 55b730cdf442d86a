package io.millrace.processing.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.EngineConfig;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.engine.WindowSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-minute sketches made the way processing makes them (the engine's windows, written
 * by {@link AggregateJsonWriter}, read back by the contract mapper), merged into 5-minute
 * bins the way consumers merge them ({@link WindowSketch.Accumulator}): every binned
 * quantile is within the relative accuracy of the exact quantile of the union of the
 * bin's readings.
 */
class SketchBinningTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private static final double ACCURACY = 0.01;

	private static final long BIN = Duration.ofMinutes(5).toMillis();

	@Test
	void binnedQuantilesOfMergedMinuteSketchesAreWithinTheAccuracyOfTheExactQuantilesOfTheUnion() throws Exception {
		Random random = new Random(1414);
		StreamEngine engine = new StreamEngine(new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), Duration.ofDays(1),
				Duration.ofMinutes(10), null, ACCURACY), Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
		Map<Long, List<Double>> readingsByBin = new TreeMap<>();
		Map<Long, List<Double>> readingsByMinute = new TreeMap<>();
		List<WindowAggregate> emitted = new ArrayList<>();
		for (int minute = 0; minute < 60; minute++) {
			// a level that moves from minute to minute, so a bin is not one distribution
			double level = (minute % 7 == 3) ? -50 : 20 + 10 * Math.sin(minute / 5.0);
			int n = 1 + random.nextInt(120);
			for (int i = 0; i < n; i++) {
				double value = switch (random.nextInt(10)) {
					case 0 -> 0;
					case 1 -> Math.exp(random.nextGaussian() * 4);
					default -> level + random.nextGaussian() * 3;
				};
				long at = T0.toEpochMilli() + minute * 60_000L + (long) (60_000.0 * i / n);
				readingsByBin.computeIfAbsent(Math.floorDiv(at, BIN) * BIN, (key) -> new ArrayList<>()).add(value);
				readingsByMinute.computeIfAbsent(minute * 60_000L, (key) -> new ArrayList<>()).add(value);
				StreamEngine.Result result = engine.onEvent("p0", new TelemetryEvent(UUID.randomUUID().toString(), "s1",
						Instant.ofEpochMilli(at), value, null, null, 1, null));
				assertThat(result.disposition()).isEqualTo(StreamEngine.Disposition.ACCEPTED);
				emitted.addAll(result.emitted());
			}
		}
		emitted.addAll(engine.drain());
		assertThat(emitted).hasSize(60);

		Map<Long, WindowSketch.Accumulator> bins = new TreeMap<>();
		for (WindowAggregate aggregate : emitted) {
			// what the topic carries, read as a consumer reads it
			WindowAggregate read = MillraceJson.mapper()
				.readValue(AggregateJsonWriter.bytes(aggregate, true), WindowAggregate.class);
			WindowSketch sketch = read.sketch();
			assertThat(sketch).isNotNull();
			assertThat(sketch.count()).isEqualTo(read.count());
			long minute = read.window().start().toEpochMilli() - T0.toEpochMilli();
			// the engine buckets exactly as the contract's sketch does: one mapping
			WindowSketch.Accumulator same = new WindowSketch.Accumulator(ACCURACY);
			readingsByMinute.get(minute).forEach(same::add);
			assertThat(sketch).isEqualTo(same.toSketch());
			bins.computeIfAbsent(Math.floorDiv(read.window().start().toEpochMilli(), BIN) * BIN,
					(key) -> new WindowSketch.Accumulator(ACCURACY))
				.merge(sketch);
		}
		assertThat(bins.keySet()).isEqualTo(readingsByBin.keySet()).hasSize(12);
		bins.forEach((start, merged) -> {
			double[] union = readingsByBin.get(start).stream().mapToDouble(Double::doubleValue).sorted().toArray();
			assertThat(merged.count()).isEqualTo(union.length);
			for (double q : new double[] { 0.5, 0.95, 0.99 }) {
				double exact = union[(int) Math.floor(q * (union.length - 1))];
				assertThat(merged.quantile(q)).as("p%s of the bin at %s", q * 100, Instant.ofEpochMilli(start))
					.isCloseTo(exact, within(ACCURACY * Math.abs(exact) + 1e-12));
			}
		});
	}

	@Test
	void withoutSketchesTheAggregateCarriesNone() throws Exception {
		StreamEngine engine = new StreamEngine(
				new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1))), Duration.ofSeconds(5),
						Duration.ZERO, Duration.ofSeconds(30), Duration.ofDays(1), Duration.ofMinutes(10), null, 0),
				Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
		engine.onEvent("p0", new TelemetryEvent("e1", "s1", T0, 3.0, null, null, 1, null));
		WindowAggregate aggregate = engine.drain().get(0);
		assertThat(aggregate.sketch()).isNull();
		assertThat(MillraceJson.mapper().readTree(AggregateJsonWriter.bytes(aggregate, true)).has("sketch")).isFalse();
	}

}
