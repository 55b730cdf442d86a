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
 * {@code α} of the exact value at that rank. Negative values use a mirrored store; zero
 * (and values too small to bucket) are counted apart.
 * <p>
 * The exact value at quantile {@code q} of {@code n} values is the one at 0-based rank
 * {@code floor(q (n - 1))} of the sorted values.
 */
public final class QuantileSketch {

	private static final double MIN_INDEXABLE = 1e-300;

	private final double relativeAccuracy;

	private final double gamma;

	private final double logGamma;

	private final BucketStore positive = new BucketStore();

	private final BucketStore negative = new BucketStore();

	private long zeroCount;

	/**
	 * A sketch.
	 * @param relativeAccuracy {@code α}, for example {@code 0.01} for 1%
	 */
	public QuantileSketch(double relativeAccuracy) {
		if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
			throw new IllegalArgumentException("Relative accuracy must be in (0, 1), got " + relativeAccuracy);
		}
		this.relativeAccuracy = relativeAccuracy;
		this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
		this.logGamma = Math.log(this.gamma);
	}

	public void add(double value) {
		addBucket(bucketOf(value));
	}

	/**
	 * The bucket a value falls in, so that one value added to many sketches of the same
	 * accuracy is bucketed once (the logarithm is the costly part of adding).
	 * @param value the value
	 * @return an opaque bucket for {@link #addBucket(long)}
	 */
	long bucketOf(double value) {
		if (value > MIN_INDEXABLE) {
			return ((long) index(value) << 2) | 1;
		}
		if (value < -MIN_INDEXABLE) {
			return ((long) index(-value) << 2) | 2;
		}
		return 0;
	}

	void addBucket(long bucket) {
		int store = (int) (bucket & 3);
		int index = (int) (bucket >> 2);
		if (store == 1) {
			this.positive.add(index, 1);
		}
		else if (store == 2) {
			this.negative.add(index, 1);
		}
		else {
			this.zeroCount++;
		}
	}

	/**
	 * Add every value counted by another sketch of the same accuracy.
	 * @param other the other sketch
	 */
	public void merge(QuantileSketch other) {
		if (other.relativeAccuracy != this.relativeAccuracy) {
			throw new IllegalArgumentException("Cannot merge sketches of different accuracy");
		}
		this.positive.merge(other.positive);
		this.negative.merge(other.negative);
		this.zeroCount += other.zeroCount;
	}

	public long count() {
		return this.positive.total + this.negative.total + this.zeroCount;
	}

	/**
	 * The estimated value at a quantile.
	 * @param quantile between 0 and 1
	 * @return the estimate, within the relative accuracy of the exact value; NaN when
	 * empty
	 */
	public double quantile(double quantile) {
		long count = count();
		if (count == 0) {
			return Double.NaN;
		}
		long rank = (long) Math.floor(quantile * (count - 1));
		if (rank < this.negative.total) {
			// Negative values: the largest magnitudes are the smallest values.
			return -value(this.negative.indexAtRankFromTop(rank));
		}
		rank -= this.negative.total;
		if (rank < this.zeroCount) {
			return 0;
		}
		return value(this.positive.indexAtRank(rank - this.zeroCount));
	}

	public double relativeAccuracy() {
		return this.relativeAccuracy;
	}

	/**
	 * A read-only copy in the contract's form (the same bucket mapping), for
	 * {@code WindowAggregate.sketch}.
	 * @return the buckets as a {@link WindowSketch}
	 */
	public WindowSketch toWindowSketch() {
		return new WindowSketch(this.relativeAccuracy, this.zeroCount, this.positive.toBins(), this.negative.toBins());
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeDouble(this.relativeAccuracy);
		Varints.write(out, this.zeroCount);
		this.positive.writeTo(out);
		this.negative.writeTo(out);
	}

	static QuantileSketch readFrom(DataInput in) throws IOException {
		QuantileSketch sketch = new QuantileSketch(in.readDouble());
		sketch.zeroCount = Varints.read(in);
		sketch.positive.readFrom(in);
		sketch.negative.readFrom(in);
		return sketch;
	}

	/** Approximate heap held by the buckets, for the state-size metric. */
	public long estimatedBytes() {
		return 64 + this.positive.estimatedBytes() + this.negative.estimatedBytes();
	}

	private int index(double magnitude) {
		return (int) Math.ceil(Math.log(magnitude) / this.logGamma);
	}

	private double value(int index) {
		return 2 * Math.pow(this.gamma, index) / (this.gamma + 1);
	}

	/** Dense counts for a contiguous range of bucket indexes, grown on demand. */
	private static final class BucketStore {

		private long[] counts = new long[0];

		private int offset;

		private long total;

		void add(int index, long count) {
			ensure(index);
			this.counts[index - this.offset] += count;
			this.total += count;
		}

		void merge(BucketStore other) {
			for (int i = 0; i < other.counts.length; i++) {
				if (other.counts[i] != 0) {
					add(other.offset + i, other.counts[i]);
				}
			}
		}

		int indexAtRank(long rank) {
			long seen = 0;
			for (int i = 0; i < this.counts.length; i++) {
				seen += this.counts[i];
				if (seen > rank) {
					return this.offset + i;
				}
			}
			return this.offset + this.counts.length - 1;
		}

		int indexAtRankFromTop(long rank) {
			long seen = 0;
			for (int i = this.counts.length - 1; i >= 0; i--) {
				seen += this.counts[i];
				if (seen > rank) {
					return this.offset + i;
				}
			}
			return this.offset;
		}

		long estimatedBytes() {
			return 32 + 8L * this.counts.length;
		}

		WindowSketch.Bins toBins() {
			return (this.total == 0) ? null : new WindowSketch.Bins(this.offset, this.counts.clone());
		}

		/**
		 * Only the non-empty buckets, as gaps and counts: most buckets of a window are
		 * empty.
		 */
		void writeTo(DataOutput out) throws IOException {
			int nonEmpty = 0;
			for (long count : this.counts) {
				if (count != 0) {
					nonEmpty++;
				}
			}
			Varints.write(out, nonEmpty);
			if (nonEmpty == 0) {
				return;
			}
			int previous = -1;
			for (int i = 0; i < this.counts.length; i++) {
				if (this.counts[i] != 0) {
					if (previous < 0) {
						out.writeInt(this.offset + i);
					}
					else {
						Varints.write(out, i - previous);
					}
					Varints.write(out, this.counts[i]);
					previous = i;
				}
			}
		}

		void readFrom(DataInput in) throws IOException {
			int nonEmpty = (int) Varints.read(in);
			this.counts = new long[0];
			this.total = 0;
			int index = 0;
			for (int i = 0; i < nonEmpty; i++) {
				index = (i == 0) ? in.readInt() : index + (int) Varints.read(in);
				add(index, Varints.read(in));
			}
		}

		private void ensure(int index) {
			if (this.counts.length == 0) {
				this.counts = new long[8];
				this.offset = index - 4;
				return;
			}
			int low = Math.min(this.offset, index);
			int high = Math.max(this.offset + this.counts.length - 1, index);
			if (low == this.offset && high == this.offset + this.counts.length - 1) {
				return;
			}
			int length = Math.max(high - low + 1, this.counts.length * 2);
			int newOffset = (index < this.offset) ? high - length + 1 : low;
			long[] grown = new long[length];
			System.arraycopy(this.counts, 0, grown, this.offset - newOffset, this.counts.length);
			this.counts = grown;
			this.offset = newOffset;
		}

	}

}
