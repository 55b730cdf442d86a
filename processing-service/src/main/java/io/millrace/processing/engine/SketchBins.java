package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

import io.millrace.model.aggregate.WindowSketch;

/**
 * The counts of a DDSketch ({@link SketchMapping}), kept compact: only the buckets in
 * use, one {@code long} each — the bucket's key in the high 32 bits, its count (unsigned)
 * in the low 32 — sorted by key, in one array created on the first value and grown by a
 * quarter. A window of a few dozen readings holds a few dozen buckets, about 8 bytes
 * each, where a dense array over the range of indexes it touched held hundreds.
 * <p>
 * A bucket whose count would pass {@code 2^32 - 1} continues in a second entry with the
 * same key, so no count is ever lost; entries with one key are adjacent.
 * <p>
 * The snapshot encoding is the one every earlier version wrote (accuracy, zero count,
 * then the positive and negative buckets as first index, gaps and counts), so checkpoints
 * written before this layout restore unchanged.
 */
class SketchBins {

	private static final long COUNT_MASK = 0xFFFF_FFFFL;

	private static final int FIRST_CAPACITY = 4;

	/** Sorted; {@code null} until the first value. */
	private long[] bins;

	private int binCount;

	final void addToBin(int key) {
		addToBin(key, 1);
	}

	final void addToBin(int key, long count) {
		long rest = count;
		int at = lowerBound(key);
		while (rest > 0) {
			// Entries of this key with room, first.
			while (at < this.binCount && (int) (this.bins[at] >> 32) == key) {
				long held = this.bins[at] & COUNT_MASK;
				long room = COUNT_MASK - held;
				if (room > 0) {
					long taken = Math.min(room, rest);
					this.bins[at] += taken;
					rest -= taken;
					if (rest == 0) {
						return;
					}
				}
				at++;
			}
			long taken = Math.min(COUNT_MASK, rest);
			insert(at, ((long) key << 32) | taken);
			rest -= taken;
		}
	}

	/** Add every count of another sketch (of the same mapping). */
	final void mergeBins(SketchBins other) {
		for (int i = 0; i < other.binCount; i++) {
			addToBin((int) (other.bins[i] >> 32), other.bins[i] & COUNT_MASK);
		}
	}

	/** The number of values counted. */
	final long binTotal() {
		long total = 0;
		for (int i = 0; i < this.binCount; i++) {
			total += this.bins[i] & COUNT_MASK;
		}
		return total;
	}

	/**
	 * The keys of the buckets holding the values at several 0-based ranks, in one walk.
	 * @param ranks ascending ranks, each below the number of values counted
	 * @param keys receives the key for each rank
	 */
	final void keysAtRanks(long[] ranks, int[] keys) {
		long seen = 0;
		int next = 0;
		for (int i = 0; i < this.binCount && next < ranks.length; i++) {
			seen += this.bins[i] & COUNT_MASK;
			while (next < ranks.length && seen > ranks[next]) {
				keys[next++] = (int) (this.bins[i] >> 32);
			}
		}
		while (next < ranks.length) {
			// Only reachable with a rank past the end: answer with the largest bucket.
			keys[next++] = (this.binCount > 0) ? (int) (this.bins[this.binCount - 1] >> 32) : 0;
		}
	}

	/**
	 * A copy in the contract's form ({@code WindowAggregate.sketch}): the positive and
	 * negative buckets as dense counts from their lowest index, the same indexes as
	 * {@link SketchMapping}'s.
	 * @param relativeAccuracy the mapping's accuracy
	 * @return the sketch
	 */
	final WindowSketch toWindowSketch(double relativeAccuracy) {
		long zero = 0;
		int positiveLow = Integer.MAX_VALUE;
		int positiveHigh = Integer.MIN_VALUE;
		int negativeLow = Integer.MAX_VALUE;
		int negativeHigh = Integer.MIN_VALUE;
		for (int i = 0; i < this.binCount; i++) {
			int key = (int) (this.bins[i] >> 32);
			if (key > 0) {
				positiveLow = Math.min(positiveLow, key - SketchMapping.OFFSET);
				positiveHigh = Math.max(positiveHigh, key - SketchMapping.OFFSET);
			}
			else if (key < 0) {
				negativeLow = Math.min(negativeLow, -key - SketchMapping.OFFSET);
				negativeHigh = Math.max(negativeHigh, -key - SketchMapping.OFFSET);
			}
		}
		long[] positive = (positiveLow <= positiveHigh) ? new long[positiveHigh - positiveLow + 1] : null;
		long[] negative = (negativeLow <= negativeHigh) ? new long[negativeHigh - negativeLow + 1] : null;
		for (int i = 0; i < this.binCount; i++) {
			int key = (int) (this.bins[i] >> 32);
			long count = this.bins[i] & COUNT_MASK;
			if (key > 0) {
				positive[key - SketchMapping.OFFSET - positiveLow] += count;
			}
			else if (key < 0) {
				negative[-key - SketchMapping.OFFSET - negativeLow] += count;
			}
			else {
				zero += count;
			}
		}
		return new WindowSketch(relativeAccuracy, zero,
				(positive != null) ? new WindowSketch.Bins(positiveLow, positive) : null,
				(negative != null) ? new WindowSketch.Bins(negativeLow, negative) : null);
	}

	/** Heap held by the counts. */
	final long binBytes() {
		return (this.bins != null) ? 16 + 8L * this.bins.length : 0;
	}

	/**
	 * Write the sketch as every earlier version did: the accuracy, the zero count, then
	 * the positive and the negative buckets, each as non-empty count, first index, gaps
	 * between indexes and counts, by ascending index.
	 */
	final void writeBins(double relativeAccuracy, DataOutput out) throws IOException {
		out.writeDouble(relativeAccuracy);
		int firstZero = lowerBound(0);
		int firstPositive = lowerBound(1);
		long zeros = 0;
		for (int i = firstZero; i < firstPositive; i++) {
			zeros += this.bins[i] & COUNT_MASK;
		}
		Varints.write(out, zeros);
		// Positive keys ascend with the index.
		writeStore(firstPositive, this.binCount, 1, out);
		// Negative keys descend with the index of the magnitude.
		writeStore(firstZero - 1, -1, -1, out);
	}

	private void writeStore(int from, int to, int step, DataOutput out) throws IOException {
		int distinct = 0;
		int previousKey = 0;
		for (int i = from; i != to; i += step) {
			int key = (int) (this.bins[i] >> 32);
			if (distinct == 0 || key != previousKey) {
				distinct++;
				previousKey = key;
			}
		}
		Varints.write(out, distinct);
		int previousIndex = 0;
		boolean first = true;
		int i = from;
		while (i != to) {
			int key = (int) (this.bins[i] >> 32);
			long count = 0;
			while (i != to && (int) (this.bins[i] >> 32) == key) {
				count += this.bins[i] & COUNT_MASK;
				i += step;
			}
			int index = Math.abs(key) - SketchMapping.OFFSET;
			if (first) {
				out.writeInt(index);
				first = false;
			}
			else {
				Varints.write(out, index - previousIndex);
			}
			Varints.write(out, count);
			previousIndex = index;
		}
	}

	/**
	 * Read what {@link #writeBins} (or an earlier version) wrote, into these empty bins.
	 * @return the accuracy the sketch was written with
	 */
	final double readBins(DataInput in) throws IOException {
		double relativeAccuracy = in.readDouble();
		long zeros = Varints.read(in);
		if (zeros > 0) {
			addToBin(0, zeros);
		}
		readStore(1, in);
		readStore(-1, in);
		return relativeAccuracy;
	}

	private void readStore(int sign, DataInput in) throws IOException {
		long nonEmpty = Varints.read(in);
		int index = 0;
		for (long i = 0; i < nonEmpty; i++) {
			index = (i == 0) ? in.readInt() : index + (int) Varints.read(in);
			if (Math.abs(index) >= SketchMapping.OFFSET - 1) {
				throw new IOException("Sketch bucket index out of range: " + index);
			}
			addToBin(sign * (SketchMapping.OFFSET + index), Varints.read(in));
		}
	}

	/** The first entry whose key is at least {@code key}. */
	private int lowerBound(int key) {
		long probe = (long) key << 32;
		int low = 0;
		int high = this.binCount;
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (this.bins[middle] < probe) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	private void insert(int at, long entry) {
		if (this.bins == null) {
			this.bins = new long[FIRST_CAPACITY];
		}
		else if (this.binCount == this.bins.length) {
			this.bins = Arrays.copyOf(this.bins, this.binCount + Math.max(2, this.binCount >> 2));
		}
		System.arraycopy(this.bins, at, this.bins, at + 1, this.binCount - at);
		this.bins[at] = entry;
		this.binCount++;
	}

}
