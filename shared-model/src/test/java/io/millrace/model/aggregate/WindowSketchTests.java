package io.millrace.model.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.millrace.model.json.ContractSchemas;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WindowSketchTests {

	private static final double ALPHA = 0.01;

	private static final double[] QUANTILES = { 0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1 };

	@Test
	void quantilesAreWithinTheRelativeAccuracyOfTheExactValueAtTheirRank() {
		Random random = new Random(14);
		for (int round = 0; round < 50; round++) {
			double[] values = readings(random, 1 + random.nextInt(2000));
			WindowSketch sketch = sketchOf(values);
			assertThat(sketch.count()).isEqualTo(values.length);
			assertWithinAccuracy(sketch, values);
		}
	}

	@Test
	void mergedSketchesAreTheSketchOfTheUnion() {
		Random random = new Random(5);
		List<double[]> parts = new ArrayList<>();
		WindowSketch.Accumulator merged = new WindowSketch.Accumulator(ALPHA);
		WindowSketch.Accumulator fromBytes = new WindowSketch.Accumulator(ALPHA);
		for (int i = 0; i < 12; i++) {
			double[] part = readings(random, random.nextInt(300));
			parts.add(part);
			WindowSketch sketch = sketchOf(part);
			merged.merge(sketch);
			fromBytes.mergeBytes(sketch.toBytes());
		}
		double[] union = parts.stream().flatMapToDouble(Arrays::stream).toArray();
		assertThat(merged.toSketch()).isEqualTo(sketchOf(union)).isEqualTo(fromBytes.toSketch());
		assertWithinAccuracy(merged.toSketch(), union);
	}

	@Test
	void theBinaryFormRoundTripsAndIsCompact() {
		Random random = new Random(3);
		double[] minute = new double[60];
		for (int i = 0; i < minute.length; i++) {
			minute[i] = 20 + random.nextGaussian();
		}
		WindowSketch sketch = sketchOf(minute);
		byte[] bytes = sketch.toBytes();
		assertThat(WindowSketch.fromBytes(bytes)).isEqualTo(sketch);
		// format byte, accuracy, zero count, two lengths, an offset and about ten counts
		assertThat(bytes.length).isLessThan(32);
		WindowSketch mixed = sketchOf(new double[] { -5, -1e-9, 0, 0, 3e12, 7 });
		assertThat(WindowSketch.fromBytes(mixed.toBytes())).isEqualTo(mixed);
		// wide, heavy-tailed readings: most buckets between the extremes are empty
		double[] wide = new double[60];
		for (int i = 0; i < wide.length; i++) {
			wide[i] = Math.exp(random.nextGaussian() * 4);
		}
		WindowSketch heavy = sketchOf(wide);
		assertThat(heavy.positive().counts().length).isGreaterThan(300);
		assertThat(WindowSketch.fromBytes(heavy.toBytes())).isEqualTo(heavy);
		assertThat(heavy.toBytes().length).isLessThan(16 + 3 * 60);
	}

	@Test
	void anAggregateWithASketchRoundTripsThroughJsonAndMatchesTheSchema() throws Exception {
		WindowSketch sketch = sketchOf(new double[] { -2, 0, 1, 1.5, 40 });
		WindowAggregate aggregate = new WindowAggregate("s1", "value",
				AggregateWindow.tumbling(Instant.parse("2026-02-05T10:00:00Z"), Duration.ofMinutes(1)), 5, 40.5, -2, 40,
				8.1, null, sketch.quantile(0.5), sketch.quantile(0.95), sketch.quantile(0.99), null, null, true, 0,
				WindowAggregate.ON_TIME, Instant.parse("2026-02-05T10:01:05Z"), sketch);
		String json = MillraceJson.mapper().writeValueAsString(aggregate);
		JsonNode tree = MillraceJson.mapper().readTree(json);
		assertThat(tree.at("/sketch/relativeAccuracy").asDouble()).isEqualTo(ALPHA);
		assertThat(tree.at("/sketch/zeroCount").asLong()).isEqualTo(1);
		assertThat(tree.at("/sketch/positive/counts").isArray()).isTrue();
		assertThat(tree.at("/sketch/negative/counts").size()).isEqualTo(1);
		assertThat(MillraceJson.mapper().readValue(json, WindowAggregate.class)).isEqualTo(aggregate);
		assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
			.getSchema(ContractSchemas.WINDOW_AGGREGATE.json())
			.validate(tree)).isEmpty();
	}

	@Test
	void anAggregateWithoutASketchWritesNoSketchAndOlderReadersIgnoreIt() throws Exception {
		WindowAggregate plain = new WindowAggregate("s1", "value",
				AggregateWindow.tumbling(Instant.parse("2026-02-05T10:00:00Z"), Duration.ofMinutes(1)), 1, 2, 2, 2, 2,
				null, null, null, null, null, null, true, 0, WindowAggregate.ON_TIME, Instant.now());
		assertThat(MillraceJson.mapper().readTree(MillraceJson.mapper().writeValueAsString(plain)).has("sketch"))
			.isFalse();
		String withSketch = MillraceJson.mapper().writeValueAsString(plain.withSketch(sketchOf(new double[] { 2 })));
		// a reader that knows only the earlier fields
		OlderReader older = MillraceJson.mapper().readValue(withSketch, OlderReader.class);
		assertThat(older.count()).isEqualTo(1);
		assertThat(older.p95()).isNull();
	}

	@Test
	void sketchesOfAnotherAccuracyAreNotMergedIntoAnswers() {
		WindowSketch.Accumulator accumulator = new WindowSketch.Accumulator(ALPHA);
		accumulator.merge(sketchOf(new double[] { 1, 2, 3 }));
		assertThat(accumulator.quantile(0.5)).isCloseTo(2, org.assertj.core.data.Percentage.withPercentage(1));
		accumulator.merge(new WindowSketch.Accumulator(0.02).add(5).toSketch());
		assertThat(accumulator.isCompatible()).isFalse();
		assertThat(accumulator.quantile(0.5)).isNaN();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WindowSketch(0.01, 0, new WindowSketch.Bins(3, new long[] { 1, -1 }), null));
		assertThatIllegalArgumentException().isThrownBy(() -> new WindowSketch(1.5, 0, null, null));
		assertThat(new WindowSketch(ALPHA, 0, new WindowSketch.Bins(3, new long[] { 0, 2, 0 }), null).positive())
			.isEqualTo(new WindowSketch.Bins(4, new long[] { 2 }));
	}

	static WindowSketch sketchOf(double[] values) {
		WindowSketch.Accumulator accumulator = new WindowSketch.Accumulator(ALPHA);
		for (double value : values) {
			accumulator.add(value);
		}
		return accumulator.toSketch();
	}

	private static double[] readings(Random random, int n) {
		double[] values = new double[n];
		for (int i = 0; i < n; i++) {
			values[i] = switch (random.nextInt(4)) {
				case 0 -> random.nextGaussian() * 10;
				case 1 -> Math.exp(random.nextGaussian() * 5);
				case 2 -> 0;
				default -> 20 + random.nextGaussian();
			};
		}
		return values;
	}

	private static void assertWithinAccuracy(WindowSketch sketch, double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		for (double q : QUANTILES) {
			double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
			assertThat(sketch.quantile(q)).as("q=%s of %d", q, values.length)
				.isCloseTo(exact, org.assertj.core.api.Assertions.within(ALPHA * Math.abs(exact) + 1e-12));
		}
	}

	record OlderReader(String sensorId, long count, Double p95) {
	}

}
