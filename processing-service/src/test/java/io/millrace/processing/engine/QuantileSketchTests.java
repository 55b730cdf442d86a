package io.millrace.processing.engine;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QuantileSketchTests {

	@Test
	void everyQuantileIsWithinTheRelativeAccuracyOfTheExactValue() {
		Random random = new Random(42);
		for (int trial = 0; trial < 20; trial++) {
			QuantileSketch sketch = new QuantileSketch(0.01);
			int n = 1 + random.nextInt(5000);
			double[] values = new double[n];
			for (int i = 0; i < n; i++) {
				values[i] = (random.nextDouble() - 0.2) * Math.pow(10, random.nextInt(6));
				sketch.add(values[i]);
			}
			Arrays.sort(values);
			for (double q : new double[] { 0, 0.01, 0.5, 0.95, 0.99, 1 }) {
				double exact = values[(int) Math.floor(q * (n - 1))];
				assertThat(sketch.quantile(q)).as("q=%s n=%s", q, n)
					.isCloseTo(exact, within(Math.abs(exact) * 0.01 + 1e-12));
			}
		}
	}

	@Test
	void mergingEqualsAddingEverythingToOneSketch() {
		QuantileSketch left = new QuantileSketch(0.02);
		QuantileSketch right = new QuantileSketch(0.02);
		QuantileSketch all = new QuantileSketch(0.02);
		for (int i = -500; i < 1500; i++) {
			(i % 2 == 0 ? left : right).add(i * 0.37);
			all.add(i * 0.37);
		}
		left.merge(right);
		assertThat(left.count()).isEqualTo(2000);
		for (double q : new double[] { 0.1, 0.5, 0.9 }) {
			assertThat(left.quantile(q)).isEqualTo(all.quantile(q));
		}
	}

	@Test
	void zerosAndAnEmptySketch() {
		QuantileSketch sketch = new QuantileSketch(0.01);
		assertThat(sketch.quantile(0.5)).isNaN();
		sketch.add(0);
		sketch.add(0);
		sketch.add(5);
		assertThat(sketch.quantile(0.5)).isZero();
		assertThat(sketch.quantile(1)).isCloseTo(5, within(0.05));
	}

}
