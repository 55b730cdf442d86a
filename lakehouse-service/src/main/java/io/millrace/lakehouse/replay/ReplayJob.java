package io.millrace.lakehouse.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replay: what was asked, and its progress. Updated by the thread that runs it, read
 * by the API.
 */
final class ReplayJob {

	enum State {

		/** Waiting for a free slot. */
		QUEUED,
		/** Counting and publishing. */
		RUNNING,
		/** Every selected event published and acknowledged. */
		SUCCEEDED,
		/** Stopped by an error (see errors); what was published stays published. */
		FAILED,
		/** Stopped by a {@code DELETE}. */
		CANCELLED;

		boolean finished() {
			return this == SUCCEEDED || this == FAILED || this == CANCELLED;
		}

	}

	private final String id;

	private final Instant from;

	private final Instant to;

	private final List<String> sensors;

	private final String targetTopic;

	private final int ratePerSecond;

	private final Instant createdAt;

	private final AtomicLong published = new AtomicLong();

	private final List<String> errors = new ArrayList<>();

	private volatile State state = State.QUEUED;

	private volatile Long total;

	private volatile Long tableVersion;

	private volatile Instant startedAt;

	private volatile Instant finishedAt;

	private volatile boolean cancelRequested;

	private volatile Future<?> execution;

	ReplayJob(String id, Instant from, Instant to, List<String> sensors, String targetTopic, int ratePerSecond,
			Instant createdAt) {
		this.id = id;
		this.from = from;
		this.to = to;
		this.sensors = List.copyOf(sensors);
		this.targetTopic = targetTopic;
		this.ratePerSecond = ratePerSecond;
		this.createdAt = createdAt;
	}

	String id() {
		return this.id;
	}

	Instant from() {
		return this.from;
	}

	Instant to() {
		return this.to;
	}

	List<String> sensors() {
		return this.sensors;
	}

	String targetTopic() {
		return this.targetTopic;
	}

	int ratePerSecond() {
		return this.ratePerSecond;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	State state() {
		return this.state;
	}

	long published() {
		return this.published.get();
	}

	void addPublished(long count) {
		this.published.addAndGet(count);
	}

	synchronized List<String> errors() {
		return List.copyOf(this.errors);
	}

	synchronized void addError(String error) {
		this.errors.add(error);
	}

	Long total() {
		return this.total;
	}

	Long tableVersion() {
		return this.tableVersion;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	Instant finishedAt() {
		return this.finishedAt;
	}

	boolean cancelRequested() {
		return this.cancelRequested;
	}

	void execution(Future<?> execution) {
		this.execution = execution;
	}

	synchronized void started(long version, Instant at) {
		this.tableVersion = version;
		this.startedAt = at;
		this.state = State.RUNNING;
	}

	void counted(long total) {
		this.total = total;
	}

	synchronized void finished(State state, Instant at) {
		if (!this.state.finished()) {
			this.state = state;
			this.finishedAt = at;
		}
	}

	/**
	 * Asks the job to stop: a queued job is cancelled at once, a running one stops before
	 * its next batch (its thread is interrupted out of the rate limiter's wait).
	 * @return whether the job was still going
	 */
	synchronized boolean cancel(Instant at) {
		if (this.state.finished()) {
			return false;
		}
		this.cancelRequested = true;
		if (this.state == State.QUEUED) {
			finished(State.CANCELLED, at);
		}
		Future<?> running = this.execution;
		if (running != null) {
			running.cancel(true);
		}
		return true;
	}

}
