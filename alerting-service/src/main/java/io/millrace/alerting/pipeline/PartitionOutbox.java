package io.millrace.alerting.pipeline;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.millrace.alerting.lifecycle.CompactInput;
import io.millrace.alerting.lifecycle.CompactOutput;

/**
 * One input partition's delivery outbox, in the order notifications were made, and what
 * changed in it since its last snapshot. Entries come and go within milliseconds while
 * deliveries keep up, so the changes a checkpoint writes are the few entries still
 * waiting or retried, and the removal of those the last snapshot held: not the payload of
 * every notification made and delivered in between.
 */
final class PartitionOutbox {

	private static final int END = 0;

	private static final int PUT = 1;

	private static final int REMOVE = 2;

	private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();

	/**
	 * Keys changed since the last snapshot, in the order a restore must apply them: an
	 * entry (re)inserted moves to the end, as it does in {@link #entries}.
	 */
	private final Map<String, Change> changes = new LinkedHashMap<>();

	OutboxEntry get(String key) {
		return this.entries.get(key);
	}

	/**
	 * Add a new entry at the end.
	 * @param entry the entry
	 * @return false, changing nothing, if its key is there already
	 */
	boolean insertIfAbsent(OutboxEntry entry) {
		String key = entry.key();
		if (this.entries.putIfAbsent(key, entry) != null) {
			return false;
		}
		Change before = this.changes.remove(key);
		this.changes.put(key, new Change((before != null) && before.existedAtSnapshot, true));
		return true;
	}

	/**
	 * Replace an entry in its place.
	 * @param entry the entry, whose key is there
	 */
	void replace(OutboxEntry entry) {
		this.entries.put(entry.key(), entry);
		this.changes.putIfAbsent(entry.key(), new Change(true, false));
	}

	/**
	 * @param key the entry's key
	 * @return the entry removed, or null
	 */
	OutboxEntry remove(String key) {
		OutboxEntry removed = this.entries.remove(key);
		if (removed != null) {
			this.changes.putIfAbsent(key, new Change(true, false));
		}
		return removed;
	}

	Collection<OutboxEntry> values() {
		return this.entries.values();
	}

	int size() {
		return this.entries.size();
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/** Every entry; the changes after it start here. */
	void writeTo(CompactOutput out) {
		out.writeVarInt(this.entries.size());
		for (OutboxEntry entry : this.entries.values()) {
			write(entry, out);
		}
		this.changes.clear();
	}

	/**
	 * What changed since the last snapshot, full or changes; the next changes start here.
	 */
	void writeChangesTo(CompactOutput out) {
		this.changes.forEach((key, change) -> {
			OutboxEntry entry = this.entries.get(key);
			if (change.existedAtSnapshot && (entry == null || change.inserted)) {
				out.writeByte(REMOVE);
				out.writeString(key);
			}
			if (entry != null) {
				out.writeByte(PUT);
				write(entry, out);
			}
		});
		out.writeByte(END);
		this.changes.clear();
	}

	/**
	 * An outbox from what {@link #writeTo} wrote.
	 * @param in the state
	 * @return the outbox
	 */
	static PartitionOutbox readFrom(CompactInput in) {
		PartitionOutbox outbox = new PartitionOutbox();
		int count = in.readVarInt();
		for (int i = 0; i < count; i++) {
			OutboxEntry entry = read(in);
			outbox.entries.put(entry.key(), entry);
		}
		return outbox;
	}

	/**
	 * Apply what {@link #writeChangesTo} wrote.
	 * @param in the changes
	 */
	void applyChanges(CompactInput in) {
		for (int op = in.readByte(); op != END; op = in.readByte()) {
			switch (op) {
				case PUT -> {
					OutboxEntry entry = read(in);
					this.entries.put(entry.key(), entry);
				}
				case REMOVE -> this.entries.remove(in.readString());
				default -> throw new IllegalArgumentException("Malformed outbox changes: operation " + op);
			}
		}
	}

	/** Entries as they were read, for a restore: no changes since. */
	static PartitionOutbox of(Collection<OutboxEntry> entries) {
		PartitionOutbox outbox = new PartitionOutbox();
		entries.forEach((entry) -> outbox.entries.put(entry.key(), entry));
		return outbox;
	}

	private static void write(OutboxEntry entry, CompactOutput out) {
		out.writeString(entry.notificationId());
		out.writeRef(entry.subscriptionId());
		out.writeString(entry.sensorId());
		out.writeBytes(entry.payload());
		out.writeVarInt(entry.attempts());
		out.writeLong(entry.nextAttemptAt());
		out.writeLong(entry.createdAt());
		out.writeString(OutboxEntry.truncated(entry.lastError()));
	}

	private static OutboxEntry read(CompactInput in) {
		return new OutboxEntry(in.readString(), in.readRef(), in.readString(), in.readBytes(), in.readVarInt(),
				in.readLong(), in.readLong(), in.readString());
	}

	/**
	 * @param existedAtSnapshot whether the last snapshot held the key
	 * @param inserted whether it was (re)inserted since, so it is at the end now
	 */
	private record Change(boolean existedAtSnapshot, boolean inserted) {
	}

}
