package io.millrace.runtime.task;

/**
 * What a {@link StreamTask} reports as it runs, for metrics. Called on the processing
 * thread: implementations only count.
 */
public interface TaskListener {

	/** Does nothing. */
	TaskListener NONE = new TaskListener() {
	};

	default void consumed(int records) {
	}

	/** A record below its partition's restored position was skipped. */
	default void replaySkipped() {
	}

	/**
	 * A record was dead-lettered.
	 * @param reason the reason code
	 */
	default void deadLettered(String reason) {
	}

	/**
	 * A record the decoder rejected was skipped, not dead-lettered (its input's owner
	 * dead-letters it).
	 * @param reason the reason code
	 */
	default void rejectedSkipped(String reason) {
	}

	/** A partition was restored from its checkpoint. */
	default void restored() {
	}

	/**
	 * A partition checkpoint was written.
	 * @param bytes its size
	 */
	default void checkpointWritten(long bytes) {
	}

	/**
	 * A checkpoint (or one partition's part of it) was not written.
	 * @param reason {@code delivery-pending}, {@code delivery-failed}, {@code fenced},
	 * {@code storage} or {@code error} (the operator could not snapshot)
	 */
	default void checkpointSkipped(String reason) {
	}

	/** An attempt at a batch failed; the same batch is tried again. */
	default void batchFailed() {
	}

	/**
	 * @param nanos how long a checkpoint took to snapshot and write
	 */
	default void checkpointDuration(long nanos) {
	}

}
