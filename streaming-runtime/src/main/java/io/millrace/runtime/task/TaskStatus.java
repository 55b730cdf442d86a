package io.millrace.runtime.task;

import java.util.Map;

/**
 * What a task publishes after each batch, tick and checkpoint, for metrics and health to
 * read without taking its lock.
 *
 * @param nextOffsets the next offset of each owned partition (-1 when unknown)
 * @param heldRecords records produced and not yet published at a checkpoint, plus those
 * sent and not yet acknowledged
 * @param lastCheckpointAt processing time of the last complete checkpoint, in
 * milliseconds, 0 before the first
 * @param lastCheckpointMillis how long the last checkpoint took
 * @param failure why the batch being retried failed, {@code null} while the input runs
 * @param failingSince processing time of the first failed attempt at that batch, in
 * milliseconds, 0 while the input runs
 */
public record TaskStatus(Map<String, Long> nextOffsets, long heldRecords, long lastCheckpointAt,
		long lastCheckpointMillis, String failure, long failingSince) {

	public static final TaskStatus INITIAL = new TaskStatus(Map.of(), 0, 0, 0, null, 0);

	/**
	 * @return whether the input is held on a failing batch
	 */
	public boolean failing() {
		return this.failure != null;
	}

}
