package io.millrace.ingest.ratelimit;

/**
 * A token bucket that refills continuously. A request may take more tokens than the
 * bucket holds (a batch larger than the burst): it then waits for a full bucket and
 * leaves it in debt, so large batches are slowed to the rate instead of refused forever.
 */
final class TokenBucket {

	private final double perNano;

	private final double capacity;

	private double tokens;

	private long refilledAt;

	TokenBucket(double perSecond, double capacity, long now) {
		this.perNano = perSecond / 1e9;
		this.capacity = capacity;
		this.tokens = capacity;
		this.refilledAt = now;
	}

	/**
	 * @param cost tokens wanted
	 * @param now {@link System#nanoTime()}
	 * @return {@code 0} if taken, else the nanoseconds until they can be
	 */
	synchronized long tryTake(long cost, long now) {
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perNano);
		this.refilledAt = now;
		double needed = Math.min(cost, this.capacity);
		if (this.tokens >= needed) {
			this.tokens -= cost;
			return 0;
		}
		return (long) Math.ceil((needed - this.tokens) / this.perNano);
	}

}
