package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * Everything the engine keeps for one input partition: the windows of the partition's
 * series, its dedupe memory and the watermark its windows have been closed to. A sensor's
 * events all arrive in one partition, so a partition's state is complete on its own and
 * can be snapshotted, restored and handed to another instance alone.
 */
final class PartitionState {

	private final List<WindowStore> stores;

	private final Deduplicator deduplicator;

	/** Windows are closed up to here; never goes back. */
	private long closedTo = PartitionWatermarks.NONE;

	/** Checksum of the last partition snapshot taken or restored; null before one. */
	private Integer lastSnapshot;

	PartitionState(List<WindowStore> stores, Deduplicator deduplicator) {
		this.stores = stores;
		this.deduplicator = deduplicator;
	}

	Deduplicator deduplicator() {
		return this.deduplicator;
	}

	long closedTo() {
		return this.closedTo;
	}

	boolean add(SeriesKey series, long eventTime, double value, int sketchKey, List<WindowAggregate> out) {
		boolean added = false;
		for (int i = 0; i < this.stores.size(); i++) {
			added |= this.stores.get(i).add(series, eventTime, value, sketchKey, this.closedTo, out);
		}
		return added;
	}

	void advanceTo(long watermark, List<WindowAggregate> out) {
		if (watermark <= this.closedTo) {
			return;
		}
		long from = this.closedTo;
		this.closedTo = watermark;
		for (WindowStore store : this.stores) {
			store.advance(from, watermark, out);
		}
		this.deduplicator.forgetBefore(watermark);
	}

	void emitEarly(List<WindowAggregate> out) {
		for (WindowStore store : this.stores) {
			store.emitEarly(this.closedTo, out);
		}
	}

	long openWindows() {
		long open = 0;
		for (WindowStore store : this.stores) {
			open += store.openWindows();
		}
		return open;
	}

	long estimatedBytes() {
		long bytes = 96L * this.deduplicator.size();
		for (WindowStore store : this.stores) {
			bytes += store.estimatedBytes();
		}
		return bytes;
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeLong(this.closedTo);
		this.deduplicator.writeTo(out);
		for (WindowStore store : this.stores) {
			store.writeTo(out);
		}
	}

	void readFrom(DataInput in) throws IOException {
		readSeriesFrom(in);
		rebuildIndexes();
	}

	/** Load a state written by {@link #writeTo}, to be followed by changes. */
	void readSeriesFrom(DataInput in) throws IOException {
		this.closedTo = in.readLong();
		this.deduplicator.readFrom(in);
		for (WindowStore store : this.stores) {
			store.readSeriesFrom(in);
		}
	}

	/**
	 * Write what changed since the last snapshot: the scalars, the dedupe changes and
	 * every changed series of every store.
	 */
	void writeChangesTo(DataOutput out) throws IOException {
		out.writeLong(this.closedTo);
		this.deduplicator.writeChangesTo(out);
		for (WindowStore store : this.stores) {
			store.writeChangesTo(out);
		}
	}

	/**
	 * Apply changes written by {@link #writeChangesTo}, after {@link #readSeriesFrom}.
	 */
	void readChangesFrom(DataInput in) throws IOException {
		this.closedTo = in.readLong();
		this.deduplicator.readChangesFrom(in);
		for (WindowStore store : this.stores) {
			store.readChangesFrom(in);
		}
	}

	void rebuildIndexes() {
		for (WindowStore store : this.stores) {
			store.rebuildIndex();
		}
	}

	/**
	 * A snapshot of this partition was just taken or restored: changes count from here.
	 * @param snapshotChecksum the checksum of that snapshot's bytes, which the next delta
	 * names as the one it follows
	 */
	void startOver(int snapshotChecksum) {
		this.lastSnapshot = snapshotChecksum;
		this.deduplicator.startOver();
		for (WindowStore store : this.stores) {
			store.startOver();
		}
	}

	/**
	 * The checksum of the last snapshot taken or restored of this partition.
	 * @throws IllegalStateException if there was none, so a delta would have nothing to
	 * follow
	 */
	int lastSnapshot() {
		if (this.lastSnapshot == null) {
			throw new IllegalStateException(
					"Changes are relative to a snapshot of the partition, and none was taken or restored here");
		}
		return this.lastSnapshot;
	}

}
