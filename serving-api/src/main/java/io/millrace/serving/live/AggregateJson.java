package io.millrace.serving.live;

import java.util.concurrent.atomic.AtomicReferenceArray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.serving.store.StoredWindow;

/**
 * Each window version's JSON, written once and shared by every stream that sends it: a
 * change fanned out to 500 streams was converted to a {@code WindowAggregate} and written
 * by Jackson 500 times (docs/benchmarks.md, "Serving: queries and SSE fan-out"). Keyed by
 * the store's sequence number (one per version), in a small direct-mapped table: streams
 * send the same change within milliseconds of each other, so the last few thousand
 * versions are all that is worth keeping; a stream far behind writes its own again.
 */
final class AggregateJson {

	private static final int SLOTS = 4096;

	private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

	private final ObjectMapper json;

	AggregateJson(ObjectMapper json) {
		this.json = json;
	}

	/**
	 * @param window a stored version
	 * @return its {@code WindowAggregate} as the API's JSON
	 */
	String of(StoredWindow window) {
		int slot = (int) (window.sequence() & (SLOTS - 1));
		Entry entry = this.slots.get(slot);
		if (entry != null && entry.sequence == window.sequence()) {
			return entry.text;
		}
		try {
			String text = this.json.writeValueAsString(window.toAggregate());
			this.slots.set(slot, new Entry(window.sequence(), text));
			return text;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write a window aggregate as JSON", ex);
		}
	}

	private record Entry(long sequence, String text) {
	}

}
