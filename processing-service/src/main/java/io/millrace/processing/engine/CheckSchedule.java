package io.millrace.processing.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each series next needs a look: the earliest watermark at which one of its windows
 * could complete. Lets buffer-based stores skip the series the watermark cannot affect.
 */
final class CheckSchedule {

	private final NavigableMap<Long, Set<SeriesKey>> byTime = new TreeMap<>();

	private final Map<SeriesKey, Long> bySeries = new HashMap<>();

	/**
	 * Look at {@code series} when the watermark reaches {@code time}, or earlier if
	 * already due earlier.
	 */
	void atOrBefore(SeriesKey series, long time) {
		Long current = this.bySeries.get(series);
		if (current != null && current <= time) {
			return;
		}
		set(series, time);
	}

	/**
	 * Look at {@code series} when the watermark reaches {@code time}, replacing any
	 * earlier plan.
	 */
	void set(SeriesKey series, long time) {
		cancel(series);
		this.bySeries.put(series, time);
		this.byTime.computeIfAbsent(time, (key) -> new HashSet<>()).add(series);
	}

	void clear() {
		this.byTime.clear();
		this.bySeries.clear();
	}

	void cancel(SeriesKey series) {
		Long current = this.bySeries.remove(series);
		if (current != null) {
			Set<SeriesKey> due = this.byTime.get(current);
			due.remove(series);
			if (due.isEmpty()) {
				this.byTime.remove(current);
			}
		}
	}

	/**
	 * Remove and return the series due at {@code watermark}, in series order.
	 * @param watermark the watermark
	 * @return the due series
	 */
	List<SeriesKey> due(long watermark) {
		List<SeriesKey> due = new ArrayList<>();
		NavigableMap<Long, Set<SeriesKey>> head = this.byTime.headMap(watermark, true);
		for (Set<SeriesKey> series : head.values()) {
			due.addAll(series);
		}
		head.clear();
		due.forEach(this.bySeries::remove);
		due.sort(null);
		return due;
	}

}
