package io.millrace.runtime.task;

import java.util.List;
import java.util.Map;

/**
 * What the transport drives for one input binding: batches in, processing-time ticks,
 * partition hand-over and a status to read without waiting. {@link StreamTask} is the
 * runtime's own (an operator with checkpoints in the storage port); a sink whose
 * destination holds its own positions (a Delta table's transaction ids) implements it
 * directly, so that the transport's partition hand-over and health serve both.
 */
public interface InputTask {

	/**
	 * One batch, retried until it is in; a failure holds the input (see
	 * {@link StreamTask#acceptUntilDone}).
	 * @param batch the records and how to commit them
	 * @param pause waits between attempts
	 */
	void acceptUntilDone(InputBatch batch, StreamTask.Pause pause);

	/** Let processing time pass: what is due by the clock. */
	void tick();

	/**
	 * Partitions were assigned to this instance.
	 * @param partitions the partitions
	 * @return the offset to resume each partition from, for those that know it
	 */
	Map<String, Long> assigned(List<String> partitions);

	/**
	 * Partitions are leaving this instance: finish what is due for them, then forget
	 * them.
	 * @param partitions the partitions
	 */
	void revoked(List<String> partitions);

	/**
	 * What the task last published; never waits for processing.
	 * @return the status
	 */
	TaskStatus status();

}
