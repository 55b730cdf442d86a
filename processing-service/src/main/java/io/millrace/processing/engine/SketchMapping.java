package io.millrace.processing.engine;

/**
 * The logarithmic bucketing of a DDSketch (Masson, Rim and Lee, VLDB 2019), shared by
 * every sketch of one accuracy so that no window carries it. A positive value {@code v}
 * falls in bucket {@code i = ceil(log_γ v)}, the interval {@code (γ^(i-1), γ^i]} with
 * {@code γ = (1 + α) / (1 - α)}, and is answered with the bucket's midpoint
 * {@code 2γ^i / (γ + 1)}, within a relative error {@code α} of every value in it.
 * <p>
 * Buckets are named by one signed {@code int} key whose order is the order of the values:
 * {@code OFFSET + i} for a positive value, {@code -(OFFSET + i)} for a negative one (its
 * magnitude's bucket, mirrored) and {@code 0} for zero and values too small to bucket. So
 * one sorted array holds a sketch's three stores, and a rank walk over it visits the
 * values in ascending order.
 */
final class SketchMapping {

	private static final double MIN_INDEXABLE = 1e-300;

	/** Keeps every key of a positive value positive and every negative one negative. */
	static final int OFFSET = 1 << 30;

	private final double relativeAccuracy;

	private final double gamma;

	private final double logGamma;

	SketchMapping(double relativeAccuracy) {
		if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
			throw new IllegalArgumentException("Relative accuracy must be in (0, 1), got " + relativeAccuracy);
		}
		this.relativeAccuracy = relativeAccuracy;
		this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
		this.logGamma = Math.log(this.gamma);
		// Double.MAX_VALUE and MIN_INDEXABLE bound the bucket index.
		if (Math.ceil(Math.log(Double.MAX_VALUE) / this.logGamma) >= OFFSET - 1
				|| Math.ceil(Math.log(MIN_INDEXABLE) / this.logGamma) <= -OFFSET + 1) {
			throw new IllegalArgumentException(
					"Relative accuracy " + relativeAccuracy + " is too fine: bucket indexes would not fit an int");
		}
	}

	double relativeAccuracy() {
		return this.relativeAccuracy;
	}

	/**
	 * The key of the bucket a value falls in. NaN counts with zero, as it always has.
	 * @param value the value
	 * @return the bucket's key
	 */
	int keyOf(double value) {
		if (value > MIN_INDEXABLE) {
			return OFFSET + index(value);
		}
		if (value < -MIN_INDEXABLE) {
			return -(OFFSET + index(-value));
		}
		return 0;
	}

	/** The value a bucket answers with. */
	double valueOf(int key) {
		if (key > 0) {
			return midpoint(key - OFFSET);
		}
		if (key < 0) {
			return -midpoint(-key - OFFSET);
		}
		return 0;
	}

	private int index(double magnitude) {
		// Divided, not multiplied by the inverse: the same buckets as every earlier
		// version, so a restored sketch and new readings agree on boundaries.
		return (int) Math.ceil(Math.log(magnitude) / this.logGamma);
	}

	private double midpoint(int index) {
		return 2 * Math.pow(this.gamma, index) / (this.gamma + 1);
	}

}
