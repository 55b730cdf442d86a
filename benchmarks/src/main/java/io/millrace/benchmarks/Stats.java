package io.millrace.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of benchmark samples. */
public final class Stats {

	private Stats() {
	}

	public static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * @param values samples, in any order (sorted in place)
	 * @param percentile for example 99
	 * @return the nearest-rank percentile, or NaN without samples
	 */
	public static double percentile(long[] values, double percentile) {
		if (values.length == 0) {
			return Double.NaN;
		}
		Arrays.sort(values);
		int rank = (int) Math.ceil(percentile / 100.0 * values.length);
		return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
	}

}
