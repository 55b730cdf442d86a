package io.millrace.serving.store;

import java.util.Collection;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * The windows of one series of one sensor, by window start (epoch milliseconds). Only the
 * store's writer changes it; readers iterate it without locks (weakly consistent: an
 * iteration sees every window that was there when it started and was not removed, each in
 * one whole version).
 */
public final class Series {

	private final String sensorId;

	private final SeriesKey key;

	final ConcurrentSkipListMap<Long, StoredWindow> windows = new ConcurrentSkipListMap<>();

	Series(String sensorId, SeriesKey key) {
		this.sensorId = sensorId;
		this.key = key;
	}

	public String sensorId() {
		return this.sensorId;
	}

	public SeriesKey key() {
		return this.key;
	}

	/**
	 * @return its newest window, or {@code null} when it has none left
	 */
	public StoredWindow newest() {
		var last = this.windows.lastEntry();
		return (last != null) ? last.getValue() : null;
	}

	/**
	 * Windows starting in {@code [from, to)}, by start.
	 * @param from inclusive lower bound (epoch ms)
	 * @param to exclusive upper bound (epoch ms)
	 * @return a live view
	 */
	public Collection<StoredWindow> startingIn(long from, long to) {
		if (from >= to) {
			return java.util.List.of();
		}
		return this.windows.subMap(from, true, to, false).values();
	}

	/**
	 * @return all windows by start, a live view
	 */
	public NavigableMap<Long, StoredWindow> windows() {
		return java.util.Collections.unmodifiableNavigableMap(this.windows);
	}

	/**
	 * @param aggregate a window of this series from elsewhere (the Gold history)
	 * @return it as a stored window, not added to the store
	 */
	public StoredWindow detached(WindowAggregate aggregate) {
		return new StoredWindow(this, aggregate, -1);
	}

	public int size() {
		return this.windows.size();
	}

}
