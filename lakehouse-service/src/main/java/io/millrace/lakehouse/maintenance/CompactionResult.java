package io.millrace.lakehouse.maintenance;

/**
 * What one compaction of a table did.
 *
 * @param partitions table partitions rewritten
 * @param filesRemoved small files taken out of the table (their rows are in the new ones)
 * @param filesAdded files written in their place
 * @param bytesRemoved size of the files taken out
 * @param bytesAdded size of the files written
 * @param conflicts partitions given up because another writer had removed one of their
 * files first (another instance's compaction); their new files were deleted
 */
public record CompactionResult(int partitions, int filesRemoved, int filesAdded, long bytesRemoved, long bytesAdded,
		int conflicts) {

	static final CompactionResult NOTHING = new CompactionResult(0, 0, 0, 0, 0, 0);

	CompactionResult plus(CompactionResult other) {
		return new CompactionResult(this.partitions + other.partitions, this.filesRemoved + other.filesRemoved,
				this.filesAdded + other.filesAdded, this.bytesRemoved + other.bytesRemoved,
				this.bytesAdded + other.bytesAdded, this.conflicts + other.conflicts);
	}

}
