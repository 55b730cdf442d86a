package io.millrace.serving.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** One sensor's series. Changed by the store's writer only; read without locks. */
public final class StoredSensor {

	private final String sensorId;

	final Map<SeriesKey, Series> series = new ConcurrentHashMap<>(4);

	volatile long lastSeen = Long.MIN_VALUE;

	StoredSensor(String sensorId) {
		this.sensorId = sensorId;
	}

	public String sensorId() {
		return this.sensorId;
	}

	/**
	 * @return end of its newest window, epoch milliseconds (event time)
	 */
	public long lastSeenMillis() {
		return this.lastSeen;
	}

	/**
	 * @return its series by metric, kind, size and advance
	 */
	public List<Series> series() {
		List<Series> all = new ArrayList<>(this.series.values());
		all.sort(Comparator.comparing(Series::key, SeriesKey.ORDER));
		return all;
	}

	/**
	 * @param key a series
	 * @return it, or {@code null}
	 */
	public Series series(SeriesKey key) {
		return this.series.get(key);
	}

	/**
	 * The newest window of each metric, over all its series (the one that ends last; on a
	 * tie the shorter window).
	 * @return by metric name
	 */
	public Map<String, StoredWindow> latestByMetric() {
		Map<String, StoredWindow> latest = new TreeMap<>();
		for (Series one : this.series.values()) {
			StoredWindow newest = one.newest();
			if (newest == null) {
				continue;
			}
			latest.merge(one.key().metric(), newest, (a, b) -> newer(a, b) ? a : b);
		}
		return latest;
	}

	private static boolean newer(StoredWindow a, StoredWindow b) {
		if (a.end != b.end) {
			return a.end > b.end;
		}
		return a.start > b.start;
	}

}
