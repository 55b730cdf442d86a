package io.millrace.lakehouse.sink;

import io.millrace.lakehouse.delta.CommitResult;

/**
 * What a {@link DeltaSinkTask} reports, for metrics. Called on the task's thread:
 * implementations only count.
 */
public interface SinkListener {

	SinkListener NONE = new SinkListener() {
	};

	default void consumed(int records) {
	}

	/** A record at or below its partition's committed offset was skipped. */
	default void replaySkipped() {
	}

	/** The mapper skipped a valid record (for example a non-final aggregate). */
	default void filtered() {
	}

	default void deadLettered(String reason) {
	}

	/** A rejected record was counted and skipped, not dead-lettered. */
	default void rejectedSkipped(String reason) {
	}

	/**
	 * @param result the commit
	 * @param nanos how long writing and committing took
	 */
	default void committed(CommitResult result, long nanos) {
	}

	/** A commit found another writer's commit of the partition and resynchronized. */
	default void fenced() {
	}

	/**
	 * A commit failed and is retried.
	 * @param reason {@code delivery} (dead letters not acknowledged) or {@code storage}
	 */
	default void commitFailed(String reason) {
	}

}
