package io.millrace.processing.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers event ids until the watermark passes their event time plus the horizon, so
 * memory stays bounded by the ids of recent event time.
 */
final class Deduplicator {

	private final long horizon;

	private final Map<String, Long> seen = new HashMap<>();

	private final PriorityQueue<Remembered> expiry = new PriorityQueue<>();

	Deduplicator(long horizonMillis) {
		this.horizon = horizonMillis;
	}

	boolean isDuplicate(String eventId) {
		return eventId != null && this.seen.containsKey(eventId);
	}

	void remember(String eventId, long eventTime) {
		if (eventId != null && this.seen.put(eventId, eventTime) == null) {
			this.expiry.add(new Remembered(eventTime, eventId));
		}
	}

	void forgetBefore(long watermark) {
		while (!this.expiry.isEmpty() && this.expiry.peek().eventTime() + this.horizon <= watermark) {
			this.seen.remove(this.expiry.poll().eventId());
		}
	}

	int size() {
		return this.seen.size();
	}

	private record Remembered(long eventTime, String eventId) implements Comparable<Remembered> {

		@Override
		public int compareTo(Remembered other) {
			return Long.compare(this.eventTime, other.eventTime);
		}

	}

}
