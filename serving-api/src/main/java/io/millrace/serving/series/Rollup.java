package io.millrace.serving.series;

import java.time.Instant;

import io.millrace.serving.store.StoredWindow;

/**
 * Rolls windows, in order of start, into one bin. Plain Java, one bin at a time.
 */
final class Rollup {

	private final long start;

	private final long end;

	private long count;

	private double sum;

	private double min = Double.POSITIVE_INFINITY;

	private double max = Double.NEGATIVE_INFINITY;

	private double mean;

	private double m2;

	private boolean deviations = true;

	private double firstValue = Double.NaN;

	private double lastValue = Double.NaN;

	private int windows;

	private boolean allFinal = true;

	Rollup(long start, long end) {
		this.start = start;
		this.end = end;
	}

	long start() {
		return this.start;
	}

	void add(StoredWindow window) {
		long n = window.count();
		if (this.windows == 0) {
			this.firstValue = window.firstValue();
		}
		this.lastValue = window.lastValue();
		this.windows++;
		this.allFinal &= window.isFinal();
		this.sum += window.sum();
		this.min = Math.min(this.min, window.min());
		this.max = Math.max(this.max, window.max());
		double deviation = window.stddev();
		if (Double.isNaN(deviation)) {
			this.deviations = false;
		}
		else if (n > 0) {
			// Chan et al.: combine (count, mean, M2) of two parts exactly.
			long total = this.count + n;
			double delta = window.avg() - this.mean;
			this.m2 += deviation * deviation * n + delta * delta * ((double) this.count * n / total);
			this.mean += delta * n / total;
		}
		this.count += n;
	}

	boolean isEmpty() {
		return this.windows == 0;
	}

	Bin toBin() {
		double avg = (this.count > 0) ? this.sum / this.count : Double.NaN;
		Double stddev = (this.deviations && this.count > 0) ? Math.sqrt(Math.max(0, this.m2 / this.count)) : null;
		return new Bin(Instant.ofEpochMilli(this.start), Instant.ofEpochMilli(this.end), this.count, this.sum, this.min,
				this.max, avg, stddev, boxed(this.firstValue), boxed(this.lastValue), this.windows, this.allFinal);
	}

	private static Double boxed(double value) {
		return Double.isNaN(value) ? null : value;
	}

}
