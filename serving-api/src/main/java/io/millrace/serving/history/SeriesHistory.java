package io.millrace.serving.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.serving.store.Series;
import io.millrace.serving.store.SeriesKey;
import io.millrace.serving.store.StoredWindow;

/**
 * A series' windows over a range from both sources, as one sequence by start: the part of
 * the range before the oldest window the hot store holds for the series comes from the
 * Gold table (finals only), the rest from the hot store. A range with no lower bound, or
 * one the hot store covers, never leaves the hot store. Without a lakehouse
 * ({@code millrace.serving.history.url} unset) this is the hot store alone.
 */
public final class SeriesHistory {

	private final GoldHistoryClient gold;

	/**
	 * @param gold the lakehouse's history, or {@code null} for none
	 */
	public SeriesHistory(GoldHistoryClient gold) {
		this.gold = gold;
	}

	/**
	 * @param series a series of the hot store
	 * @param from inclusive lower bound of window starts (epoch ms;
	 * {@code Long.MIN_VALUE} for none)
	 * @param to exclusive upper bound (epoch ms; {@code Long.MAX_VALUE} for none)
	 * @return its windows in the range, by start
	 */
	public Collection<StoredWindow> startingIn(Series series, long from, long to) {
		Collection<StoredWindow> hot = series.startingIn(from, to);
		if (this.gold == null || from == Long.MIN_VALUE) {
			return hot;
		}
		StoredWindow oldest = series.oldest();
		long goldTo = Math.min(to, (oldest != null) ? oldest.startMillis() : to);
		if (from >= goldTo) {
			return hot;
		}
		SeriesKey key = series.key();
		Duration size = (key.size() != null) ? key.size() : key.gap();
		List<StoredWindow> all = new ArrayList<>();
		for (WindowAggregate aggregate : this.gold.windows(series.sensorId(), key.metric(), key.kind(), size,
				Instant.ofEpochMilli(from), Instant.ofEpochMilli(goldTo))) {
			// the same series only: Gold's size filter also matches a session's gap
			if (SeriesKey.of(aggregate).equals(key)) {
				all.add(series.detached(aggregate));
			}
		}
		all.addAll(hot);
		return all;
	}

}
