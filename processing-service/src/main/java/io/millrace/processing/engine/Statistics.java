package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Count, sum, min, max, mean and population standard deviation of readings, the first and
 * last reading by event time, and optionally a quantile sketch, in constant space (the
 * sketch grows with the logarithm of the value range). The variance uses Welford's update
 * and Chan's merge, which stay accurate for large, close readings. Among readings with
 * the same event time, the first to arrive is the first value and the last to arrive is
 * the last value.
 */
final class Statistics {

	private long count;

	private double sum;

	private double min = Double.POSITIVE_INFINITY;

	private double max = Double.NEGATIVE_INFINITY;

	private double mean;

	private double sumOfSquaredDeviations;

	private long firstTime = Long.MAX_VALUE;

	private double firstValue;

	private long lastTime = Long.MIN_VALUE;

	private double lastValue;

	private QuantileSketch sketch;

	/**
	 * Empty statistics.
	 * @param sketchAccuracy relative accuracy of the quantile sketch, or 0 for none
	 */
	Statistics(double sketchAccuracy) {
		this.sketch = (sketchAccuracy > 0) ? new QuantileSketch(sketchAccuracy) : null;
	}

	void add(long eventTime, double value) {
		add(eventTime, value, (this.sketch != null) ? this.sketch.bucketOf(value) : 0);
	}

	/** Add a reading whose sketch bucket is already known ({@link #bucketOf}). */
	void add(long eventTime, double value, long sketchBucket) {
		this.count++;
		this.sum += value;
		this.min = Math.min(this.min, value);
		this.max = Math.max(this.max, value);
		double delta = value - this.mean;
		this.mean += delta / this.count;
		this.sumOfSquaredDeviations += delta * (value - this.mean);
		if (eventTime < this.firstTime) {
			this.firstTime = eventTime;
			this.firstValue = value;
		}
		if (eventTime >= this.lastTime) {
			this.lastTime = eventTime;
			this.lastValue = value;
		}
		if (this.sketch != null) {
			this.sketch.addBucket(sketchBucket);
		}
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeLong(this.count);
		out.writeDouble(this.sum);
		out.writeDouble(this.min);
		out.writeDouble(this.max);
		out.writeDouble(this.mean);
		out.writeDouble(this.sumOfSquaredDeviations);
		out.writeLong(this.firstTime);
		out.writeDouble(this.firstValue);
		out.writeLong(this.lastTime);
		out.writeDouble(this.lastValue);
		out.writeBoolean(this.sketch != null);
		if (this.sketch != null) {
			this.sketch.writeTo(out);
		}
	}

	static Statistics readFrom(DataInput in) throws IOException {
		Statistics statistics = new Statistics(0);
		statistics.count = in.readLong();
		statistics.sum = in.readDouble();
		statistics.min = in.readDouble();
		statistics.max = in.readDouble();
		statistics.mean = in.readDouble();
		statistics.sumOfSquaredDeviations = in.readDouble();
		statistics.firstTime = in.readLong();
		statistics.firstValue = in.readDouble();
		statistics.lastTime = in.readLong();
		statistics.lastValue = in.readDouble();
		statistics.sketch = in.readBoolean() ? QuantileSketch.readFrom(in) : null;
		return statistics;
	}

	long bucketOf(double value) {
		return (this.sketch != null) ? this.sketch.bucketOf(value) : 0;
	}

	long count() {
		return this.count;
	}

	/** Approximate heap held, for the state-size metric. */
	long estimatedBytes() {
		return 112 + ((this.sketch != null) ? this.sketch.estimatedBytes() : 0);
	}

	/**
	 * The sketch's estimate, kept within the exact min and max: the exact quantile lies
	 * there, so clamping only removes error (a single reading is reported exactly).
	 */
	private Double quantile(double q) {
		return (this.sketch != null) ? Math.max(this.min, Math.min(this.max, this.sketch.quantile(q))) : null;
	}

	WindowAggregate toAggregate(String sensorId, String metric, AggregateWindow window, boolean isFinal, int revision,
			String timing, Instant emittedAt) {
		Double p50 = quantile(0.50);
		Double p95 = quantile(0.95);
		Double p99 = quantile(0.99);
		return new WindowAggregate(sensorId, metric, window, this.count, this.sum, this.min, this.max,
				this.sum / this.count, Math.sqrt(this.sumOfSquaredDeviations / this.count), p50, p95, p99,
				this.firstValue, this.lastValue, isFinal, revision, timing, emittedAt,
				(this.sketch != null) ? this.sketch.toWindowSketch() : null);
	}

}
