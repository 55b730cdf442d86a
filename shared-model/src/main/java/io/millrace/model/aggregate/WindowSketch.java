package io.millrace.model.aggregate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The mergeable quantile sketch of one window's readings, as {@link WindowAggregate}
 * carries it ({@code sketch}): a DDSketch (Masson, Rim and Lee, VLDB 2019) with relative
 * accuracy {@code α}. With {@code γ = (1 + α) / (1 - α)}, a positive reading {@code v} is
 * counted in bucket {@code i = ceil(ln v / ln γ)}, which holds {@code (γ^(i-1), γ^i]}; a
 * negative reading in bucket {@code i} of its magnitude in {@link #negative()}; zero (and
 * magnitudes below {@code 1e-300}) in {@link #zeroCount()}. A quantile {@code q} of
 * {@code n} readings is the bucket holding 0-based rank {@code floor(q (n - 1))},
 * answered with its midpoint {@code 2γ^i / (γ + 1)}, within {@code α} of the exact value
 * at that rank. Sketches of the same accuracy merge by adding bucket counts, and the
 * merge is the sketch of the union of the readings: binned quantiles are as accurate as a
 * single window's.
 * <p>
 * JSON: {@code {"relativeAccuracy":0.01,"zeroCount":0,"positive":{"offset":151,
 * "counts":[2,0,5,1]}}}: {@code counts[k]} is bucket {@code offset + k}; an empty side is
 * left out. {@link #toBytes()} is a smaller binary form for stores (documented there).
 * This is the one implementation of the merge and of the quantile rule that consumers
 * use; processing's engine counts with its own sketch of the same mapping and hands it
 * over as this type.
 *
 * @param relativeAccuracy {@code α}, in (0, 1)
 * @param zeroCount readings counted as zero
 * @param positive buckets of positive readings, or {@code null} when none
 * @param negative buckets of the magnitudes of negative readings, or {@code null} when
 * none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowSketch(double relativeAccuracy, long zeroCount, Bins positive, Bins negative) {

	/** Magnitudes at or below this are counted as zero (as processing's engine does). */
	public static final double MIN_INDEXABLE = 1e-300;

	private static final byte FORMAT = 1;

	public WindowSketch {
		if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
			throw new IllegalArgumentException("relativeAccuracy must be in (0, 1), got " + relativeAccuracy);
		}
		if (zeroCount < 0) {
			throw new IllegalArgumentException("zeroCount must not be negative, got " + zeroCount);
		}
		positive = Bins.trimmed(positive);
		negative = Bins.trimmed(negative);
	}

	/**
	 * @return the number of readings counted
	 */
	public long count() {
		return this.zeroCount + Bins.total(this.positive) + Bins.total(this.negative);
	}

	/**
	 * The estimated value at a quantile.
	 * @param quantile between 0 and 1
	 * @return the estimate, within the relative accuracy of the exact value at rank
	 * {@code floor(q (n - 1))}; {@code NaN} when empty
	 */
	public double quantile(double quantile) {
		Accumulator accumulator = new Accumulator(this.relativeAccuracy);
		accumulator.merge(this);
		return accumulator.quantile(quantile);
	}

	/**
	 * Binary form, for stores that keep many: a format byte ({@code 1}), {@code α} as an
	 * IEEE-754 double (8 bytes, big-endian), then as unsigned LEB128 varints the zero
	 * count and, for the positive then the negative side, a header {@code 2L + sparse} (0
	 * when the side is empty). Dense ({@code sparse = 0}): the first bucket's index
	 * (zigzag) and the {@code L} counts of the contiguous buckets. Sparse ({@code 1}),
	 * the smaller form when most buckets between the first and last are empty (wide,
	 * heavy-tailed readings): {@code L} non-empty buckets as the first one's index
	 * (zigzag) and count, then for each next one the index gap and count.
	 * @return the bytes
	 */
	public byte[] toBytes() {
		ByteArrayOutputStream out = new ByteArrayOutputStream(16 + length(this.positive) + length(this.negative));
		out.write(FORMAT);
		long bits = Double.doubleToLongBits(this.relativeAccuracy);
		for (int shift = 56; shift >= 0; shift -= 8) {
			out.write((int) (bits >>> shift));
		}
		writeVarint(out, this.zeroCount);
		writeBins(out, this.positive);
		writeBins(out, this.negative);
		return out.toByteArray();
	}

	/**
	 * @param bytes what {@link #toBytes()} wrote
	 * @return the sketch
	 */
	public static WindowSketch fromBytes(byte[] bytes) {
		Accumulator accumulator = new Accumulator(relativeAccuracyOf(bytes));
		accumulator.mergeBytes(bytes);
		return accumulator.toSketch();
	}

	/**
	 * @param bytes what {@link #toBytes()} wrote
	 * @return the sketch's relative accuracy, without reading the rest
	 */
	public static double relativeAccuracyOf(byte[] bytes) {
		return ByteBuffer.wrap(bytes, 1, 8).getDouble();
	}

	private static int length(Bins bins) {
		return (bins != null) ? bins.counts.length : 0;
	}

	private static void writeBins(ByteArrayOutputStream out, Bins bins) {
		if (bins == null) {
			writeVarint(out, 0);
			return;
		}
		int nonEmpty = 0;
		for (long count : bins.counts) {
			nonEmpty += (count != 0) ? 1 : 0;
		}
		// A gap and a count per non-empty bucket against a count per bucket.
		boolean sparse = 2 * nonEmpty < bins.counts.length;
		writeVarint(out, 2L * (sparse ? nonEmpty : bins.counts.length) + (sparse ? 1 : 0));
		writeVarint(out, Integer.toUnsignedLong((bins.offset << 1) ^ (bins.offset >> 31)));
		int previous = -1;
		for (int k = 0; k < bins.counts.length; k++) {
			if (!sparse) {
				writeVarint(out, bins.counts[k]);
			}
			else if (bins.counts[k] != 0) {
				if (previous >= 0) {
					writeVarint(out, k - previous);
				}
				writeVarint(out, bins.counts[k]);
				previous = k;
			}
		}
	}

	private static void writeVarint(ByteArrayOutputStream out, long value) {
		while ((value & ~0x7FL) != 0) {
			out.write((int) ((value & 0x7F) | 0x80));
			value >>>= 7;
		}
		out.write((int) value);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof WindowSketch that && Double.compare(this.relativeAccuracy, that.relativeAccuracy) == 0
				&& this.zeroCount == that.zeroCount && java.util.Objects.equals(this.positive, that.positive)
				&& java.util.Objects.equals(this.negative, that.negative);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.relativeAccuracy, this.zeroCount, this.positive, this.negative);
	}

	/**
	 * Contiguous bucket counts.
	 *
	 * @param offset index of the bucket {@code counts[0]} counts
	 * @param counts readings per bucket, none negative
	 */
	public record Bins(int offset, long[] counts) {

		public Bins {
			if (counts == null) {
				throw new IllegalArgumentException("counts are required");
			}
			for (long count : counts) {
				if (count < 0) {
					throw new IllegalArgumentException("bucket counts must not be negative, got " + count);
				}
			}
		}

		/**
		 * Without leading and trailing empty buckets; {@code null} when all are empty.
		 */
		static Bins trimmed(Bins bins) {
			if (bins == null) {
				return null;
			}
			int first = 0;
			int last = bins.counts.length - 1;
			while (first <= last && bins.counts[first] == 0) {
				first++;
			}
			while (last >= first && bins.counts[last] == 0) {
				last--;
			}
			if (first > last) {
				return null;
			}
			if (first == 0 && last == bins.counts.length - 1) {
				return bins;
			}
			return new Bins(bins.offset + first, Arrays.copyOfRange(bins.counts, first, last + 1));
		}

		static long total(Bins bins) {
			long total = 0;
			if (bins != null) {
				for (long count : bins.counts) {
					total += count;
				}
			}
			return total;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Bins that && this.offset == that.offset && Arrays.equals(this.counts, that.counts);
		}

		@Override
		public int hashCode() {
			return 31 * this.offset + Arrays.hashCode(this.counts);
		}

		@Override
		public String toString() {
			return "Bins[offset=" + this.offset + ", counts=" + Arrays.toString(this.counts) + "]";
		}

	}

	/**
	 * A sketch being built: readings added one at a time, or whole sketches merged (a bin
	 * of windows, a range of a top-N). Not thread-safe.
	 */
	public static final class Accumulator {

		private final double relativeAccuracy;

		private final double gamma;

		private final double logGamma;

		private final Store positive = new Store();

		private final Store negative = new Store();

		private long zeroCount;

		private boolean incompatible;

		/**
		 * @param relativeAccuracy {@code α}, in (0, 1)
		 */
		public Accumulator(double relativeAccuracy) {
			if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
				throw new IllegalArgumentException("relativeAccuracy must be in (0, 1), got " + relativeAccuracy);
			}
			this.relativeAccuracy = relativeAccuracy;
			this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
			this.logGamma = Math.log(this.gamma);
		}

		public double relativeAccuracy() {
			return this.relativeAccuracy;
		}

		/**
		 * Count one reading (the same bucketing as processing's engine).
		 * @param value the reading
		 * @return this
		 */
		public Accumulator add(double value) {
			if (value > MIN_INDEXABLE) {
				this.positive.add(index(value), 1);
			}
			else if (value < -MIN_INDEXABLE) {
				this.negative.add(index(-value), 1);
			}
			else {
				this.zeroCount++;
			}
			return this;
		}

		/**
		 * Add every reading another sketch counted. A sketch of another accuracy cannot
		 * be merged: the accumulator then answers no quantiles ({@link #isCompatible()}).
		 * @param sketch the sketch
		 * @return this
		 */
		public Accumulator merge(WindowSketch sketch) {
			if (Double.compare(sketch.relativeAccuracy, this.relativeAccuracy) != 0) {
				this.incompatible = true;
				return this;
			}
			this.zeroCount += sketch.zeroCount;
			this.positive.add(sketch.positive);
			this.negative.add(sketch.negative);
			return this;
		}

		/**
		 * {@link #merge(WindowSketch)} straight from {@link WindowSketch#toBytes()},
		 * without building the sketch.
		 * @param bytes the binary form
		 * @return this
		 */
		public Accumulator mergeBytes(byte[] bytes) {
			if (bytes.length < 9 || bytes[0] != FORMAT) {
				throw new IllegalArgumentException("Not a sketch in format " + FORMAT);
			}
			ByteBuffer in = ByteBuffer.wrap(bytes);
			in.get();
			if (Double.compare(in.getDouble(), this.relativeAccuracy) != 0) {
				this.incompatible = true;
				return this;
			}
			this.zeroCount += readVarint(in);
			this.positive.read(in);
			this.negative.read(in);
			return this;
		}

		/**
		 * @return false once a sketch of another accuracy was merged
		 */
		public boolean isCompatible() {
			return !this.incompatible;
		}

		public long count() {
			return this.zeroCount + this.positive.total + this.negative.total;
		}

		/**
		 * @param quantile between 0 and 1
		 * @return the estimate (see {@link WindowSketch}); {@code NaN} when empty or
		 * incompatible
		 */
		public double quantile(double quantile) {
			long count = count();
			if (count == 0 || this.incompatible) {
				return Double.NaN;
			}
			long rank = (long) Math.floor(quantile * (count - 1));
			if (rank < this.negative.total) {
				// Negative readings: the largest magnitudes are the smallest values.
				return -value(this.negative.indexAtRankFromTop(rank));
			}
			rank -= this.negative.total;
			if (rank < this.zeroCount) {
				return 0;
			}
			return value(this.positive.indexAtRank(rank - this.zeroCount));
		}

		/**
		 * @return what was accumulated, as a sketch
		 */
		public WindowSketch toSketch() {
			return new WindowSketch(this.relativeAccuracy, this.zeroCount, this.positive.toBins(),
					this.negative.toBins());
		}

		private int index(double magnitude) {
			return (int) Math.ceil(Math.log(magnitude) / this.logGamma);
		}

		private double value(int index) {
			return 2 * Math.pow(this.gamma, index) / (this.gamma + 1);
		}

		private static long readVarint(ByteBuffer in) {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				byte b = in.get();
				value |= (long) (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					return value;
				}
			}
			throw new IllegalArgumentException("Malformed varint in sketch");
		}

		/** Dense counts over a contiguous range of bucket indexes, grown on demand. */
		private static final class Store {

			private long[] counts = new long[0];

			private int offset;

			private long total;

			void add(Bins bins) {
				if (bins == null) {
					return;
				}
				ensure(bins.offset, bins.offset + bins.counts.length - 1);
				for (int k = 0; k < bins.counts.length; k++) {
					this.counts[bins.offset + k - this.offset] += bins.counts[k];
					this.total += bins.counts[k];
				}
			}

			void add(int index, long count) {
				ensure(index, index);
				this.counts[index - this.offset] += count;
				this.total += count;
			}

			void read(ByteBuffer in) {
				long header = readVarint(in);
				if (header == 0) {
					return;
				}
				int length = (int) (header >>> 1);
				int zigzag = (int) readVarint(in);
				int index = (zigzag >>> 1) ^ -(zigzag & 1);
				if ((header & 1) == 0) {
					ensure(index, index + length - 1);
					for (int k = 0; k < length; k++) {
						long count = readVarint(in);
						this.counts[index + k - this.offset] += count;
						this.total += count;
					}
					return;
				}
				for (int k = 0; k < length; k++) {
					if (k > 0) {
						index += (int) readVarint(in);
					}
					add(index, readVarint(in));
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

			Bins toBins() {
				return (this.total == 0) ? null : new Bins(this.offset, this.counts.clone());
			}

			private void ensure(int low, int high) {
				if (this.counts.length == 0) {
					this.counts = new long[Math.max(8, high - low + 1)];
					this.offset = low;
					return;
				}
				int from = Math.min(this.offset, low);
				int to = Math.max(this.offset + this.counts.length - 1, high);
				if (from == this.offset && to == this.offset + this.counts.length - 1) {
					return;
				}
				int length = Math.max(to - from + 1, this.counts.length * 2);
				int newOffset = (low < this.offset) ? to - length + 1 : from;
				long[] grown = new long[length];
				System.arraycopy(this.counts, 0, grown, this.offset - newOffset, this.counts.length);
				this.counts = grown;
				this.offset = newOffset;
			}

		}

	}

}
