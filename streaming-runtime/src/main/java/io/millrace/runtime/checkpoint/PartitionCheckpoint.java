package io.millrace.runtime.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.millrace.runtime.operator.OutputRecord;

/**
 * What an input partition needs to resume exactly: the operator's state for it, the
 * offset of the first record that state does not include, and the records it produced
 * that may not have been delivered yet. The state is either inline or, for incremental
 * checkpoints, a chain of separate objects: a full snapshot followed by the changes
 * since.
 *
 * @param partition the input partition
 * @param nextOffset the offset (Kafka) or sequence number (Event Hubs) to resume from;
 * records below it are already in the state
 * @param state the operator's partition snapshot when inline, else empty
 * @param segments keys of the state's objects, a full snapshot first and then changes in
 * order; empty when the state is inline
 * @param pending records to (re)send before anything the resumed partition produces
 */
public record PartitionCheckpoint(String partition, long nextOffset, byte[] state, List<String> segments,
		List<OutputRecord> pending) {

	/** "MRC" and format version 1: inline state only. */
	private static final int MAGIC_V1 = 0x4D524301;

	/** "MRC" and format version 2: inline state or segments. */
	private static final int MAGIC = 0x4D524302;

	public PartitionCheckpoint {
		segments = List.copyOf(segments);
		pending = List.copyOf(pending);
	}

	/** A checkpoint with its state inline. */
	public PartitionCheckpoint(String partition, long nextOffset, byte[] state, List<OutputRecord> pending) {
		this(partition, nextOffset, state, List.of(), pending);
	}

	public byte[] toBytes() {
		// Sized for the pending records too: they are most of a checkpoint, and growing
		// the buffer by doubling copied each of them several times.
		long size = 64L + this.state.length + 64L * this.segments.size();
		for (OutputRecord record : this.pending) {
			size += record.payload().length + 128L;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(MAGIC);
			out.writeUTF(this.partition);
			out.writeLong(this.nextOffset);
			out.writeInt(this.state.length);
			out.write(this.state);
			out.writeInt(this.segments.size());
			for (String segment : this.segments) {
				out.writeUTF(segment);
			}
			out.writeInt(this.pending.size());
			for (OutputRecord record : this.pending) {
				record.writeTo(out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Read a checkpoint written by {@link #toBytes()}.
	 * @param data the bytes
	 * @return the checkpoint
	 * @throws IllegalArgumentException if the bytes are not a checkpoint
	 */
	public static PartitionCheckpoint fromBytes(byte[] data) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
			int magic = in.readInt();
			if (magic != MAGIC && magic != MAGIC_V1) {
				throw new IllegalArgumentException("Not a partition checkpoint (or an unknown format version)");
			}
			String partition = in.readUTF();
			long nextOffset = in.readLong();
			byte[] state = new byte[in.readInt()];
			in.readFully(state);
			List<String> segments = new ArrayList<>();
			if (magic == MAGIC) {
				int segmentCount = in.readInt();
				for (int i = 0; i < segmentCount; i++) {
					segments.add(in.readUTF());
				}
			}
			int count = in.readInt();
			List<OutputRecord> pending = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				pending.add(OutputRecord.readFrom(in));
			}
			return new PartitionCheckpoint(partition, nextOffset, state, segments, pending);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("The checkpoint is truncated or corrupt", ex);
		}
	}

}
