package io.millrace.runtime.checkpoint;

import java.util.Optional;

import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StoredObject;

/**
 * Partition checkpoints in the storage port, one object per input partition under
 * {@code <prefix>/partition-<id>}. Every write is conditional on the version this
 * instance last read or wrote, so an instance that lost a partition to another one cannot
 * overwrite the newer checkpoint: its write fails with {@link FencedException}.
 */
public final class CheckpointStore {

	private final ObjectStore store;

	private final String prefix;

	/**
	 * @param store where checkpoints live
	 * @param prefix key prefix naming the input (for example the consumer group and
	 * topic)
	 */
	public CheckpointStore(ObjectStore store, String prefix) {
		this.store = store;
		this.prefix = prefix;
	}

	/**
	 * The latest checkpoint of a partition.
	 * @param partition the input partition
	 * @return the checkpoint and its version, or empty if the partition has none
	 */
	public Optional<Versioned> load(String partition) {
		Optional<StoredObject> stored = this.store.get(key(partition));
		return stored.map((object) -> new Versioned(PartitionCheckpoint.fromBytes(object.data()), object.version()));
	}

	/**
	 * Write a checkpoint over the one this instance knows.
	 * @param checkpoint the new checkpoint
	 * @param expectedVersion the version last read or written, or {@code null} if the
	 * partition had no checkpoint
	 * @return the new version
	 * @throws FencedException if another instance wrote the partition's checkpoint since
	 */
	public String save(PartitionCheckpoint checkpoint, String expectedVersion) {
		Precondition precondition = (expectedVersion != null) ? Precondition.matches(expectedVersion)
				: Precondition.absent();
		try {
			return this.store.put(key(checkpoint.partition()), checkpoint.toBytes(), precondition);
		}
		catch (PreconditionFailedException ex) {
			throw new FencedException(checkpoint.partition(), ex);
		}
	}

	@Override
	public String toString() {
		return "checkpoints under " + this.prefix + " in " + this.store;
	}

	private String key(String partition) {
		return this.prefix + "/partition-" + partition;
	}

	/**
	 * A checkpoint with the version it was read at.
	 *
	 * @param checkpoint the checkpoint
	 * @param version its version in the store
	 */
	public record Versioned(PartitionCheckpoint checkpoint, String version) {
	}

	/** Another instance has taken the partition over. */
	public static final class FencedException extends RuntimeException {

		FencedException(String partition, Throwable cause) {
			super("The checkpoint of partition " + partition + " was written by another instance", cause);
		}

	}

}
