package io.millrace.ingest.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request bytes this instance holds at once, bounded: a request that would pass the
 * bound is turned away ({@code 429}) instead of queueing memory until the JVM runs out.
 */
final class InFlightBytes {

	private final long limit;

	private final AtomicLong held = new AtomicLong();

	InFlightBytes(long limit) {
		this.limit = limit;
	}

	/**
	 * Reserve bytes if they fit under the bound.
	 * @param bytes how many
	 * @return whether they were reserved
	 */
	boolean tryAcquire(long bytes) {
		long current;
		do {
			current = this.held.get();
			if (current + bytes > this.limit) {
				return false;
			}
		}
		while (!this.held.compareAndSet(current, current + bytes));
		return true;
	}

	void release(long bytes) {
		this.held.addAndGet(-bytes);
	}

	long held() {
		return this.held.get();
	}

}
