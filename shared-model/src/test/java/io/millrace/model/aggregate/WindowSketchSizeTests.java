package io.millrace.model.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sketch costs: bytes it adds to an aggregate's JSON on the topic and bytes of its
 * binary form in a store, medians over 200 windows of 1% sketches, for the kinds of
 * readings docs/benchmarks.md lists ("Quantile sketches in aggregates"). Sizes are
 * deterministic for a seed, so the documented figures are held as bounds.
 */
class WindowSketchSizeTests {

	private static final int WINDOWS = 200;

	@Test
	void aSketchAddsAFewDozenBytesForNarrowReadingsAndAboutAKilobyteForHeavyTails() throws Exception {
		Random random = new Random(2026);
		int[] narrow = measure("60 readings N(20, 2), a 1 Hz sensor's minute", 60,
				() -> 20 + random.nextGaussian() * 2);
		assertThat(narrow[0]).isLessThanOrEqualTo(140);
		assertThat(narrow[1]).isLessThanOrEqualTo(40);
		int[] fast = measure("600 readings N(20, 2), 10 Hz", 600, () -> 20 + random.nextGaussian() * 2);
		assertThat(fast[0]).isLessThanOrEqualTo(170);
		assertThat(fast[1]).isLessThanOrEqualTo(50);
		int[] heavy = measure("60 readings e^N(0, 2), latency-like", 60, () -> Math.exp(random.nextGaussian() * 2));
		assertThat(heavy[0]).isLessThanOrEqualTo(1100);
		assertThat(heavy[1]).isLessThanOrEqualTo(130);
		int[] signs = measure("60 readings N(0, 5), both signs", 60, () -> random.nextGaussian() * 5);
		assertThat(signs[0]).isLessThanOrEqualTo(1100);
		assertThat(signs[1]).isLessThanOrEqualTo(130);
	}

	/** Medians of the JSON bytes the sketch adds and of its binary form. */
	private static int[] measure(String readings, int n, DoubleSupplier reading) throws Exception {
		int[] json = new int[WINDOWS];
		int[] binary = new int[WINDOWS];
		int[] plain = new int[WINDOWS];
		for (int w = 0; w < WINDOWS; w++) {
			WindowSketch.Accumulator sketch = new WindowSketch.Accumulator(0.01);
			double sum = 0;
			double min = Double.POSITIVE_INFINITY;
			double max = Double.NEGATIVE_INFINITY;
			for (int i = 0; i < n; i++) {
				double value = reading.getAsDouble();
				sketch.add(value);
				sum += value;
				min = Math.min(min, value);
				max = Math.max(max, value);
			}
			WindowAggregate aggregate = new WindowAggregate("sensor-0042", "temperature",
					AggregateWindow.tumbling(Instant.parse("2026-12-02T10:00:00Z"), Duration.ofMinutes(1)), n, sum, min,
					max, sum / n, 1.234, sketch.quantile(0.5), sketch.quantile(0.95), sketch.quantile(0.99), min, max,
					true, 0, WindowAggregate.ON_TIME, Instant.parse("2026-12-02T10:01:05.123Z"));
			plain[w] = MillraceJson.bytes(aggregate).length;
			json[w] = MillraceJson.bytes(aggregate.withSketch(sketch.toSketch())).length - plain[w];
			binary[w] = sketch.toSketch().toBytes().length;
		}
		int[] medians = { median(json), median(binary) };
		System.out.printf(
				"%s: aggregate %d B of JSON without a sketch; the sketch adds %d B (p95 %d); "
						+ "binary form %d B (p95 %d)%n",
				readings, median(plain), medians[0], percentile95(json), medians[1], percentile95(binary));
		return medians;
	}

	private static int median(int[] values) {
		int[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static int percentile95(int[] values) {
		int[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) (0.95 * (sorted.length - 1))];
	}

}
