package io.millrace.runtime.operator;

import java.util.List;

/**
 * A stateful operator over the records of one contract, with its state kept per input
 * partition, in the spirit of Flink's {@code KeyedProcessFunction} and Kafka Streams'
 * {@code Processor}. Every topic is keyed by sensorId, so a partition's state is complete
 * on its own: the runtime snapshots it, restores it on another instance, and releases it
 * when the partition moves.
 * <p>
 * The runtime calls an operator from one thread at a time and owns everything else:
 * decoding (bad records never reach the operator), holding outputs until the checkpoint
 * that covers them, checkpoints, offsets and partition hand-over. An operator sees no
 * binder, no broker type and no lock.
 *
 * @param <T> the contract its input records carry
 */
public interface Operator<T> {

	/**
	 * One valid record.
	 * @param record the record, with where it came from
	 * @param out where its results go; held until the next checkpoint
	 */
	void process(InputRecord<T> record, Outputs out);

	/**
	 * The processing-time timer: called every tick interval, with or without records, so
	 * that what is due by processing time (idle partitions, early results, heartbeats)
	 * does not wait for the next record.
	 * @param now processing time in milliseconds
	 * @param out the outputs of each owned partition
	 */
	void onTimer(long now, PartitionOutputs out);

	/**
	 * The state of one input partition, everything needed to continue it elsewhere.
	 * @param partition the input partition
	 * @return the bytes for {@link #restore}
	 */
	byte[] snapshot(String partition);

	/**
	 * Take over an input partition's state, replacing whatever this operator had for it.
	 * @param partition the input partition
	 * @param state bytes from {@link #snapshot}
	 */
	void restore(String partition, byte[] state);

	/**
	 * What changed in a partition's state since its last snapshot (full or changes), for
	 * an incremental checkpoint; the runtime writes a full snapshot now and then and
	 * restores with {@link #restore(String, byte[], List)}. Calling this starts the next
	 * set of changes.
	 * @param partition the input partition
	 * @return the changes, or {@code null} when this operator cannot tell (the runtime
	 * then takes a full snapshot)
	 */
	default byte[] snapshotChanges(String partition) {
		return null;
	}

	/**
	 * Take over an input partition from a full snapshot and the changes after it.
	 * @param partition the input partition
	 * @param state bytes from {@link #snapshot}
	 * @param changes bytes from {@link #snapshotChanges}, in the order they were taken
	 */
	default void restore(String partition, byte[] state, List<byte[]> changes) {
		if (!changes.isEmpty()) {
			throw new IllegalStateException(getClass().getSimpleName() + " cannot restore incremental changes");
		}
		restore(partition, state);
	}

	/**
	 * Forget an input partition (it moved to another instance, or is about to be
	 * restored).
	 * @param partition the input partition
	 */
	void release(String partition);

	/**
	 * Publish what metrics and status endpoints read, computed here on the processing
	 * thread after each batch and tick, so that no scrape waits on processing or walks
	 * the state.
	 */
	default void publishStatus() {
	}

}
