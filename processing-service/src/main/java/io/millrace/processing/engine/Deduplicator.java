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
 */
final class Deduplicator {

	private static final long BUCKET_MILLIS = 1_000;

	private final long horizon;

	private final Map<String, Long> seen = new HashMap<>();

	private final NavigableMap<Long, List<String>> buckets = new TreeMap<>();

	private List<String> lastBucket;

	private long lastBucketKey = Long.MIN_VALUE;

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
	}

	/** Forget ids whose whole bucket is older than {@code watermark - horizon}. */
	void forgetBefore(long watermark) {
		long limit = Math.floorDiv(watermark - this.horizon, BUCKET_MILLIS);
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

	int size() {
		return this.seen.size();
	}

}
