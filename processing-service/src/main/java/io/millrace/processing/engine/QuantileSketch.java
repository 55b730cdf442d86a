package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.millrace.model.aggregate.WindowSketch;

/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch algorithm of
 * Masson, Rim and Lee, VLDB 2019). Values are counted in logarithmic buckets
 * {@code (γ^(i-1), γ^i]} with {@code γ = (1 + α) / (1 - α)}; a quantile is answered with
 * the bucket's midpoint {@code 2γ^i / (γ + 1)}, which is within a relative error
 * {@code α} of the exact value at that rank. Negative values use mirrored buckets; zero
 * (and values too small to bucket) are counted apart.
 * <p>
 * The exact value at quantile {@code q} of {@code n} values is the one at 0-based rank
 * {@code floor(q (n - 1))} of the sorted values.
 * <p>
 * The engine's windows keep the same counts inline ({@link Statistics}); this is the
 * stand-alone form, with the same bucketing and the same snapshot encoding.
 */
public final class QuantileSketch {

	private final SketchMapping mapping;

	private final SketchBins bins = new SketchBins();

	private long count;

	/**
	 * A sketch.
	 * @param relativeAccuracy {@code α}, for example {@code 0.01} for 1%
	 */
	public QuantileSketch(double relativeAccuracy) {
		this(new SketchMapping(relativeAccuracy));
	}

	private QuantileSketch(SketchMapping mapping) {
		this.mapping = mapping;
	}

	public void add(double value) {
		this.bins.addToBin(this.mapping.keyOf(value));
		this.count++;
	}

	/**
	 * Add every value counted by another sketch of the same accuracy.
	 * @param other the other sketch
	 */
	public void merge(QuantileSketch other) {
		if (other.mapping.relativeAccuracy() != this.mapping.relativeAccuracy()) {
			throw new IllegalArgumentException("Cannot merge sketches of different accuracy");
		}
		this.bins.mergeBins(other.bins);
		this.count += other.count;
	}

	public long count() {
		return this.count;
	}

	/**
	 * The estimated value at a quantile.
	 * @param quantile between 0 and 1
	 * @return the estimate, within the relative accuracy of the exact value; NaN when
	 * empty
	 */
	public double quantile(double quantile) {
		if (this.count == 0) {
			return Double.NaN;
		}
		int[] key = new int[1];
		this.bins.keysAtRanks(new long[] { (long) Math.floor(quantile * (this.count - 1)) }, key);
		return this.mapping.valueOf(key[0]);
	}

	public double relativeAccuracy() {
		return this.mapping.relativeAccuracy();
	}

	/**
	 * A read-only copy in the contract's form (the same bucket mapping), for
	 * {@code WindowAggregate.sketch}.
	 * @return the buckets as a {@link WindowSketch}
	 */
	public WindowSketch toWindowSketch() {
		return this.bins.toWindowSketch(this.mapping.relativeAccuracy());
	}

	void writeTo(DataOutput out) throws IOException {
		this.bins.writeBins(this.mapping.relativeAccuracy(), out);
	}

	static QuantileSketch readFrom(DataInput in) throws IOException {
		// The accuracy comes first in the encoding: read the counts into a scratch store,
		// then adopt them under the accuracy they were written with.
		SketchBins read = new SketchBins();
		double accuracy = read.readBins(in);
		QuantileSketch sketch = new QuantileSketch(accuracy);
		sketch.bins.mergeBins(read);
		sketch.count = read.binTotal();
		return sketch;
	}

	/** Approximate heap held, for the state-size metric. */
	public long estimatedBytes() {
		return 40 + this.bins.binBytes();
	}

}
