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
 * <p>
 * The sketch's counts are this object's own ({@link SketchBins}) and its bucketing is
 * shared by every window ({@link SketchMapping}): one object and one small array per
 * window, not a sketch object with two stores and two arrays. Not final: a store may add
 * its per-window fields to it rather than hold it in another object.
 */
class Statistics extends SketchBins {

	private static final double[] QUANTILES = { 0.50, 0.95, 0.99 };

	/** The bucketing of the sketch, or null for no quantiles. */
	private final SketchMapping sketch;

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

	/**
	 * Empty statistics.
	 * @param sketch the bucketing of the quantile sketch, or null for none
	 */
	Statistics(SketchMapping sketch) {
		this.sketch = sketch;
	}

	void add(long eventTime, double value) {
		add(eventTime, value, (this.sketch != null) ? this.sketch.keyOf(value) : 0);
	}

	/**
	 * Add a reading whose sketch bucket is already known, so that a reading added to many
	 * windows is bucketed once (the logarithm is the costly part of a sketch insert).
	 * @param sketchKey {@code SketchMapping.keyOf(value)} of this statistics' mapping;
	 * ignored without a sketch
	 */
	void add(long eventTime, double value, int sketchKey) {
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
			addToBin(sketchKey);
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
			writeBins(this.sketch.relativeAccuracy(), out);
		}
	}

	/**
	 * Read what {@link #writeTo} wrote into these empty statistics.
	 * @throws IOException if the written statistics have a sketch and these have none or
	 * another accuracy, or the reverse
	 */
	void readFrom(DataInput in) throws IOException {
		this.count = in.readLong();
		this.sum = in.readDouble();
		this.min = in.readDouble();
		this.max = in.readDouble();
		this.mean = in.readDouble();
		this.sumOfSquaredDeviations = in.readDouble();
		this.firstTime = in.readLong();
		this.firstValue = in.readDouble();
		this.lastTime = in.readLong();
		this.lastValue = in.readDouble();
		boolean sketched = in.readBoolean();
		if (sketched != (this.sketch != null)) {
			throw new IOException("The snapshot's windows " + (sketched ? "have" : "have no")
					+ " quantile sketches and this engine's " + (sketched ? "have none" : "have"));
		}
		if (sketched) {
			double accuracy = readBins(in);
			if (accuracy != this.sketch.relativeAccuracy()) {
				throw new IOException("The snapshot's sketches have accuracy " + accuracy + ", this engine's "
						+ this.sketch.relativeAccuracy());
			}
		}
	}

	long count() {
		return this.count;
	}

	/** Approximate heap held, for the state-size metric: the fields and the counts. */
	long estimatedBytes() {
		return 104 + binBytes();
	}

	WindowAggregate toAggregate(String sensorId, String metric, AggregateWindow window, boolean isFinal, int revision,
			String timing, Instant emittedAt) {
		Double p50 = null;
		Double p95 = null;
		Double p99 = null;
		if (this.sketch != null && this.count > 0) {
			// One walk over the counts for the three ranks. The estimate is kept within
			// the
			// exact min and max: the exact quantile lies there, so clamping only removes
			// error (a single reading is reported exactly).
			long[] ranks = new long[QUANTILES.length];
			for (int i = 0; i < ranks.length; i++) {
				ranks[i] = (long) Math.floor(QUANTILES[i] * (this.count - 1));
			}
			int[] keys = new int[QUANTILES.length];
			keysAtRanks(ranks, keys);
			p50 = clamp(this.sketch.valueOf(keys[0]));
			p95 = clamp(this.sketch.valueOf(keys[1]));
			p99 = clamp(this.sketch.valueOf(keys[2]));
		}
		return new WindowAggregate(sensorId, metric, window, this.count, this.sum, this.min, this.max,
				this.sum / this.count, Math.sqrt(this.sumOfSquaredDeviations / this.count), p50, p95, p99,
				this.firstValue, this.lastValue, isFinal, revision, timing, emittedAt,
				(this.sketch != null) ? toWindowSketch(this.sketch.relativeAccuracy()) : null);
	}

	private double clamp(double estimate) {
		return Math.max(this.min, Math.min(this.max, estimate));
	}

}
