package io.millrace.serving.series;

import java.time.Instant;

import io.millrace.model.aggregate.WindowSketch;
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

	/** The windows' sketches merged, while every window has one of the same accuracy. */
	private WindowSketch.Accumulator sketch;

	private boolean sketches = true;

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
		mergeSketch(window);
	}

	private void mergeSketch(StoredWindow window) {
		if (!this.sketches) {
			return;
		}
		if (this.sketch == null) {
			double accuracy = window.sketchAccuracy();
			if (Double.isNaN(accuracy)) {
				this.sketches = false;
				return;
			}
			this.sketch = new WindowSketch.Accumulator(accuracy);
		}
		this.sketches = window.mergeSketchInto(this.sketch) && this.sketch.isCompatible();
	}

	/**
	 * The merged sketch's estimate, kept within the exact min and max as processing keeps
	 * a window's (the exact quantile lies there, so clamping only removes error).
	 */
	private Double quantile(double q) {
		if (!this.sketches || this.sketch == null || this.sketch.count() != this.count) {
			return null;
		}
		return Math.max(this.min, Math.min(this.max, this.sketch.quantile(q)));
	}

	boolean isEmpty() {
		return this.windows == 0;
	}

	Bin toBin() {
		double avg = (this.count > 0) ? this.sum / this.count : Double.NaN;
		Double stddev = (this.deviations && this.count > 0) ? Math.sqrt(Math.max(0, this.m2 / this.count)) : null;
		return new Bin(Instant.ofEpochMilli(this.start), Instant.ofEpochMilli(this.end), this.count, this.sum, this.min,
				this.max, avg, stddev, quantile(0.50), quantile(0.95), quantile(0.99), boxed(this.firstValue),
				boxed(this.lastValue), this.windows, this.allFinal);
	}

	private static Double boxed(double value) {
		return Double.isNaN(value) ? null : value;
	}

}
