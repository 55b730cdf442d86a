package io.millrace.lakehouse.replay;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code rate} permits a second, at most one second's worth saved up, so
 * that over any stretch of time no more than {@code rate × seconds + rate} are taken. No
 * rate limiter library is on this service's classpath (resilience4j's is not among its
 * dependencies, Guava only inside Hadoop's shaded jar), and this is all a replay needs.
 */
final class TokenBucket {

	private final double ratePerNano;

	private final double capacity;

	private double tokens;

	private long refilledAt;

	TokenBucket(int ratePerSecond) {
		this.ratePerNano = ratePerSecond / 1e9;
		this.capacity = ratePerSecond;
		// Start empty: a replay's first second is not a burst.
		this.tokens = 0;
		this.refilledAt = System.nanoTime();
	}

	/**
	 * Waits until {@code permits} are available and takes them.
	 * @param permits how many (more than the capacity are taken in steps)
	 * @throws InterruptedException when the waiting thread is interrupted (a cancel)
	 */
	synchronized void acquire(int permits) throws InterruptedException {
		double needed = permits;
		while (needed > 0) {
			refill();
			double take = Math.min(needed, this.tokens);
			this.tokens -= take;
			needed -= take;
			if (needed > 0) {
				long waitNanos = (long) Math.ceil(Math.min(needed, this.capacity) / this.ratePerNano);
				TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 1_000_000));
			}
		}
	}

	private void refill() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.ratePerNano);
		this.refilledAt = now;
	}

}
