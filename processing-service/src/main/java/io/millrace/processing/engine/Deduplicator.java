package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Remembers event ids until the watermark passes their event time plus the horizon, so
 * memory stays bounded by the ids of recent event time. Ids are filed in one-second
 * buckets of event time and forgotten a bucket at a time, which keeps the per-event cost
 * to two hash-map operations.
 * <p>
 * Changes for a delta are recorded as the ids remembered since the last snapshot and the
 * highest bucket limit forgotten below, not as a copy of the memory: the memory holds the
 * ids of the whole horizon (10 minutes by default), a delta only those of one checkpoint
 * interval. Forgetting needs no list of ids: an id of the last snapshot is gone exactly
 * when its bucket is below the highest limit applied since, because limits only forget
 * whole buckets and every id of the snapshot was there for each of them.
 */
final class Deduplicator {

	private static final long BUCKET_MILLIS = 1_000;

	/** No bucket forgotten since the last snapshot. */
	private static final long NOTHING_FORGOTTEN = Long.MIN_VALUE;

	private static final int CHANGES = 0;

	private static final int WHOLE = 1;

	private final long horizon;

	private final Map<String, Long> seen = new HashMap<>();

	private final NavigableMap<Long, List<String>> buckets = new TreeMap<>();

	private List<String> lastBucket;

	private long lastBucketKey = Long.MIN_VALUE;

	/**
	 * Ids remembered since the last snapshot, in order; {@code null} when not tracking
	 * (no snapshot yet) or when the next delta writes the whole memory.
	 */
	private List<String> remembered;

	/** Whether the next delta writes the whole memory instead of changes. */
	private boolean wholeNext;

	private long forgottenBelow = NOTHING_FORGOTTEN;

	Deduplicator(long horizonMillis) {
		this.horizon = horizonMillis;
	}

	boolean isDuplicate(String eventId) {
		return eventId != null && this.seen.containsKey(eventId);
	}

	void remember(String eventId, long eventTime) {
		if (eventId == null || this.seen.put(eventId, eventTime) != null) {
			return;
		}
		long key = Math.floorDiv(eventTime, BUCKET_MILLIS);
		if (key != this.lastBucketKey) {
			this.lastBucket = this.buckets.computeIfAbsent(key, (ignored) -> new ArrayList<>());
			this.lastBucketKey = key;
		}
		this.lastBucket.add(eventId);
		if (this.remembered != null) {
			this.remembered.add(eventId);
			// The list also holds ids forgotten since: when snapshots stop coming, let go
			// of it (and write the whole memory next time) rather than let it grow.
			if (this.remembered.size() > 1024 + 2L * this.seen.size()) {
				this.remembered = null;
				this.wholeNext = true;
			}
		}
	}

	/** Forget ids whose whole bucket is older than {@code watermark - horizon}. */
	void forgetBefore(long watermark) {
		forgetBuckets(Math.floorDiv(watermark - this.horizon, BUCKET_MILLIS));
	}

	private void forgetBuckets(long limit) {
		NavigableMap<Long, List<String>> expired = this.buckets.headMap(limit, false);
		if (expired.isEmpty()) {
			return;
		}
		for (List<String> ids : expired.values()) {
			ids.forEach(this.seen::remove);
		}
		if (expired.containsKey(this.lastBucketKey)) {
			this.lastBucketKey = Long.MIN_VALUE;
		}
		expired.clear();
		this.forgottenBelow = Math.max(this.forgottenBelow, limit);
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeInt(this.seen.size());
		for (Map.Entry<String, Long> entry : this.seen.entrySet()) {
			out.writeUTF(entry.getKey());
			out.writeLong(entry.getValue());
		}
	}

	void readFrom(DataInput in) throws IOException {
		this.seen.clear();
		this.buckets.clear();
		this.lastBucketKey = Long.MIN_VALUE;
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			remember(in.readUTF(), in.readLong());
		}
	}

	/**
	 * Write what changed since {@link #startOver}: the forgetting limit, then the ids
	 * remembered since that are still remembered (an id forgotten and seen again is
	 * written once per time seen; reading it twice is harmless).
	 */
	void writeChangesTo(DataOutput out) throws IOException {
		if (this.wholeNext || this.remembered == null) {
			out.writeByte(WHOLE);
			writeTo(out);
			return;
		}
		out.writeByte(CHANGES);
		out.writeLong(this.forgottenBelow);
		List<String> kept = new ArrayList<>(this.remembered.size());
		for (String id : this.remembered) {
			if (this.seen.containsKey(id)) {
				kept.add(id);
			}
		}
		Varints.write(out, kept.size());
		for (String id : kept) {
			out.writeUTF(id);
			out.writeLong(this.seen.get(id));
		}
	}

	void readChangesFrom(DataInput in) throws IOException {
		int kind = in.readByte();
		if (kind == WHOLE) {
			readFrom(in);
			return;
		}
		if (kind != CHANGES) {
			throw new IOException("Unknown dedupe change kind " + kind);
		}
		// Forget first: it applies to the ids of the previous state only; ids remembered
		// since and still here are written below, whatever their bucket.
		long limit = in.readLong();
		if (limit != NOTHING_FORGOTTEN) {
			forgetBuckets(limit);
		}
		long count = Varints.read(in);
		for (long i = 0; i < count; i++) {
			remember(in.readUTF(), in.readLong());
		}
	}

	/**
	 * A snapshot of the partition was just taken or restored: track changes from here.
	 */
	void startOver() {
		this.remembered = new ArrayList<>();
		this.wholeNext = false;
		this.forgottenBelow = NOTHING_FORGOTTEN;
	}

	int size() {
		return this.seen.size();
	}

}
