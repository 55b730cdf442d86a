package io.millrace.lakehouse.powerbi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Power BI's per-dataset budgets, kept on this side so that the sink seldom meets a 429:
 * at most {@code requests} POST rows requests in any window of {@code requestWindow} (120
 * a minute), and at most {@code rows} rows in any window of {@code rowWindow} (1,000,000
 * an hour). Sliding windows of what was sent; one instance per dataset, used by one
 * thread. The windows are parameters so that tests run in seconds.
 */
final class PushBudget {

	private final int requests;

	private final long requestWindowNanos;

	private final long rows;

	private final long rowWindowNanos;

	private final LongSupplier nanoTime;

	private final Deque<Long> requestTimes = new ArrayDeque<>();

	/** {time, rows} of each request within the row window. */
	private final Deque<long[]> rowTimes = new ArrayDeque<>();

	private long rowsInWindow;

	PushBudget(int requests, Duration requestWindow, long rows, Duration rowWindow, LongSupplier nanoTime) {
		this.requests = requests;
		this.requestWindowNanos = requestWindow.toNanos();
		this.rows = rows;
		this.rowWindowNanos = rowWindow.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * @return how long to wait before the next request fits the per-minute budget (zero
	 * when it fits now)
	 */
	Duration waitForRequest() {
		long now = this.nanoTime.getAsLong();
		while (!this.requestTimes.isEmpty() && now - this.requestTimes.peekFirst() >= this.requestWindowNanos) {
			this.requestTimes.pollFirst();
		}
		if (this.requestTimes.size() < this.requests) {
			return Duration.ZERO;
		}
		return Duration.ofNanos(this.requestWindowNanos - (now - this.requestTimes.peekFirst()));
	}

	/**
	 * @return rows that may still be sent within the hourly budget
	 */
	long rowsLeft() {
		long now = this.nanoTime.getAsLong();
		while (!this.rowTimes.isEmpty() && now - this.rowTimes.peekFirst()[0] >= this.rowWindowNanos) {
			this.rowsInWindow -= this.rowTimes.pollFirst()[1];
		}
		return Math.max(0, this.rows - this.rowsInWindow);
	}

	/**
	 * A request was sent: it counts against the per-minute budget whatever its answer;
	 * its rows count against the hourly budget only when Power BI added them.
	 * @param rowCount rows added (0 when the request was refused)
	 */
	void sent(int rowCount) {
		long now = this.nanoTime.getAsLong();
		this.requestTimes.addLast(now);
		this.rowTimes.addLast(new long[] { now, rowCount });
		this.rowsInWindow += rowCount;
	}

}
