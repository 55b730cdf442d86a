package io.millrace.runtime.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StorageException;
import io.millrace.storage.StoredObject;

/**
 * Partition checkpoints in the storage port, one object per input partition under
 * {@code <prefix>/partition-<id>}. Every write of it is conditional on the version this
 * instance last read or wrote, so an instance that lost a partition to another one cannot
 * overwrite the newer checkpoint: its write fails with {@link FencedException}. The state
 * of an incremental checkpoint lives in segment objects under
 * {@code <prefix>/segments/partition-<id>/}, each written once under a name no other
 * writer uses; the checkpoint object names the ones that count, so a segment written by
 * an instance that was then fenced is never read.
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
	 * The bytes of a checkpoint's state segments, in order.
	 * @param checkpoint a checkpoint with segments
	 * @return each segment's bytes
	 * @throws io.millrace.storage.StorageException if a segment is missing
	 */
	public List<byte[]> segments(PartitionCheckpoint checkpoint) {
		List<byte[]> data = new ArrayList<>(checkpoint.segments().size());
		for (String segment : checkpoint.segments()) {
			data.add(this.store.get(segment)
				.orElseThrow(() -> new StorageException("Segment " + segment + " of the checkpoint of partition "
						+ checkpoint.partition() + " is missing"))
				.data());
		}
		return data;
	}

	/**
	 * Write one state segment under a new name.
	 * @param partition the input partition
	 * @param name a name this writer has not used before
	 * @param data the segment
	 * @return its key, for the checkpoint's segment list
	 */
	public String writeSegment(String partition, String name, byte[] data) {
		String key = segmentsPrefix(partition) + name;
		try {
			this.store.put(key, data, Precondition.absent());
		}
		catch (PreconditionFailedException ex) {
			// Names are unique per writer: a clash is a fault to report, not a fence.
			throw new StorageException("Segment " + key + " exists already", ex);
		}
		return key;
	}

	/**
	 * Delete every segment of a partition that its checkpoint does not name: those of a
	 * writer that crashed between writing a segment and the checkpoint naming it, or that
	 * was fenced off. Safe only once this writer has saved the partition's checkpoint:
	 * any other writer's save is refused from then on, so no segment it writes can become
	 * named. A failure only leaves garbage.
	 * @param partition the input partition
	 * @param named the segments the checkpoint just saved names
	 * @return how many segments were deleted
	 */
	public int sweepSegments(String partition, List<String> named) {
		List<String> unnamed;
		try {
			unnamed = this.store.list(segmentsPrefix(partition))
				.stream()
				.filter((key) -> !named.contains(key))
				.toList();
		}
		catch (StorageException ex) {
			return 0;
		}
		deleteSegments(unnamed);
		return unnamed.size();
	}

	private String segmentsPrefix(String partition) {
		return this.prefix + "/segments/partition-" + partition + "/";
	}

	/**
	 * Delete segments no checkpoint names any more; a failure only leaves garbage.
	 * @param keys the segments' keys
	 */
	public void deleteSegments(List<String> keys) {
		for (String key : keys) {
			try {
				this.store.delete(key, Precondition.any());
			}
			catch (StorageException ex) {
				// Unreferenced: harmless until the next clean-up.
			}
		}
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
		return save(checkpoint, checkpoint.toBytes(), expectedVersion);
	}

	/**
	 * Write a checkpoint already serialized by the caller (who needed its bytes too:
	 * serializing it twice copied every pending record twice).
	 * @param checkpoint the new checkpoint
	 * @param bytes {@code checkpoint.toBytes()}
	 * @param expectedVersion the version last read or written, or {@code null} if the
	 * partition had no checkpoint
	 * @return the new version
	 * @throws FencedException if another instance wrote the partition's checkpoint since
	 */
	public String save(PartitionCheckpoint checkpoint, byte[] bytes, String expectedVersion) {
		Precondition precondition = (expectedVersion != null) ? Precondition.matches(expectedVersion)
				: Precondition.absent();
		try {
			return this.store.put(key(checkpoint.partition()), bytes, precondition);
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
