package io.millrace.lakehouse.silver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The event ids one source partition has admitted to Silver within the dedupe horizon of
 * event time: an id is remembered until the partition's highest admitted event time has
 * passed its event time by more than the horizon. Ids are filed in one-second buckets of
 * event time and forgotten a bucket at a time (as processing-service's deduplicator
 * does), so the cost per event is two hash-map operations.
 * <p>
 * Its state is a function of the admitted events in offset order and nothing else, so it
 * is rebuilt exactly from the Silver and quarantine rows of the partition up to the
 * committed offset ({@link SilverPipeline#resumed}).
 */
final class EventIdMemory {

	private static final long BUCKET_MICROS = 1_000_000L;

	private final long horizonMicros;

	private final Map<String, Long> seen = new HashMap<>();

	private final NavigableMap<Long, List<String>> buckets = new TreeMap<>();

	private long maxEventTime = Long.MIN_VALUE;

	EventIdMemory(long horizonMicros) {
		this.horizonMicros = horizonMicros;
	}

	/**
	 * @param eventId an event id
	 * @return whether it is remembered (a duplicate within the horizon)
	 */
	boolean contains(String eventId) {
		return this.seen.containsKey(eventId);
	}

	/**
	 * Remember an admitted event.
	 * @param eventId its id
	 * @param eventTimeMicros its event time
	 */
	void remember(String eventId, long eventTimeMicros) {
		if (this.maxEventTime != Long.MIN_VALUE && eventTimeMicros < this.maxEventTime - this.horizonMicros) {
			// Already beyond the horizon: it would be forgotten at once.
			return;
		}
		if (this.seen.putIfAbsent(eventId, eventTimeMicros) == null) {
			this.buckets.computeIfAbsent(Math.floorDiv(eventTimeMicros, BUCKET_MICROS), (k) -> new ArrayList<>())
				.add(eventId);
		}
		if (eventTimeMicros > this.maxEventTime) {
			this.maxEventTime = eventTimeMicros;
			long limit = Math.floorDiv(this.maxEventTime - this.horizonMicros, BUCKET_MICROS);
			NavigableMap<Long, List<String>> expired = this.buckets.headMap(limit, false);
			for (List<String> ids : expired.values()) {
				ids.forEach(this.seen::remove);
			}
			expired.clear();
		}
	}

	int size() {
		return this.seen.size();
	}

}
