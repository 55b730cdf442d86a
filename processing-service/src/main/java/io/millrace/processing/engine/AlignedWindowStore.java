package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Tumbling and hopping windows: fixed intervals aligned to the epoch, updated
 * incrementally. With allowed lateness, a window is emitted non-final when the watermark
 * reaches its end (on time), again for each late reading, and final when the watermark
 * reaches its end plus the lateness; without, only the final result is emitted.
 */
final class AlignedWindowStore implements WindowStore {

	private final String kind;

	private final long size;

	private final long advance;

	private final Emission emission;

	/** Open panes by window end, so completed windows are the head of the map. */
	private final NavigableMap<Long, Map<PaneKey, Pane>> byEnd = new TreeMap<>();

	private long onTimeEmittedThrough = PartitionWatermarks.NONE;

	private long open;

	AlignedWindowStore(WindowSpec spec, Emission emission) {
		this.kind = spec.kind();
		if (spec instanceof WindowSpec.Hopping hopping) {
			this.size = hopping.size().toMillis();
			this.advance = hopping.advance().toMillis();
		}
		else {
			this.size = spec.span().toMillis();
			this.advance = this.size;
		}
		this.emission = emission;
	}

	@Override
	public boolean add(SeriesKey series, long eventTime, double value, long watermark, List<WindowAggregate> out) {
		boolean added = false;
		long bucket = Long.MIN_VALUE;
		long lastStart = Math.floorDiv(eventTime, this.advance) * this.advance;
		for (long start = lastStart; start + this.size > eventTime; start -= this.advance) {
			long end = start + this.size;
			if (end + this.emission.allowedLateness() <= watermark) {
				continue;
			}
			Pane pane = this.byEnd.computeIfAbsent(end, (key) -> new HashMap<>())
				.computeIfAbsent(new PaneKey(series, start), (key) -> {
					this.open++;
					return new Pane(this.emission.newStatistics());
				});
			if (bucket == Long.MIN_VALUE) {
				bucket = pane.statistics.bucketOf(value);
			}
			pane.statistics.add(eventTime, value, bucket);
			pane.dirty = true;
			if (pane.revision >= 0 && end <= watermark) {
				out.add(emit(new PaneKey(series, start), pane, false));
			}
			added = true;
		}
		return added;
	}

	@Override
	public void advance(long watermark, List<WindowAggregate> out) {
		long lateness = this.emission.allowedLateness();
		if (lateness > 0 && watermark > this.onTimeEmittedThrough) {
			for (Map<PaneKey, Pane> panes : this.byEnd.subMap(this.onTimeEmittedThrough, false, watermark, true)
				.values()) {
				emitSorted(panes, false, out);
			}
			this.onTimeEmittedThrough = watermark;
		}
		Iterator<Map<PaneKey, Pane>> complete = this.byEnd.headMap(watermark - lateness, true).values().iterator();
		while (complete.hasNext()) {
			Map<PaneKey, Pane> panes = complete.next();
			emitSorted(panes, true, out);
			this.open -= panes.size();
			complete.remove();
		}
	}

	@Override
	public void emitEarly(long watermark, List<WindowAggregate> out) {
		for (Map<PaneKey, Pane> panes : this.byEnd.tailMap(watermark, false).values()) {
			List<PaneKey> keys = new ArrayList<>(panes.keySet());
			keys.sort(null);
			for (PaneKey key : keys) {
				Pane pane = panes.get(key);
				if (pane.dirty) {
					out.add(emit(key, pane, false));
				}
			}
		}
	}

	private void emitSorted(Map<PaneKey, Pane> panes, boolean isFinal, List<WindowAggregate> out) {
		List<PaneKey> keys = new ArrayList<>(panes.keySet());
		keys.sort(null);
		for (PaneKey key : keys) {
			out.add(emit(key, panes.get(key), isFinal));
		}
	}

	private WindowAggregate emit(PaneKey key, Pane pane, boolean isFinal) {
		pane.revision++;
		pane.dirty = false;
		return pane.statistics.toAggregate(key.series().sensorId(), key.series().metric(), window(key.start()), isFinal,
				pane.revision, this.emission.now());
	}

	private AggregateWindow window(long start) {
		Duration size = Duration.ofMillis(this.size);
		Duration advance = (this.advance != this.size) ? Duration.ofMillis(this.advance) : null;
		return new AggregateWindow(this.kind, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + this.size),
				size, advance, null);
	}

	@Override
	public long openWindows() {
		return this.open;
	}

	@Override
	public long estimatedBytes() {
		long bytes = 0;
		for (Map<PaneKey, Pane> panes : this.byEnd.values()) {
			for (Pane pane : panes.values()) {
				bytes += 96 + pane.statistics.estimatedBytes();
			}
		}
		return bytes;
	}

	private record PaneKey(SeriesKey series, long start) implements Comparable<PaneKey> {

		@Override
		public int compareTo(PaneKey other) {
			int bySeries = this.series.compareTo(other.series);
			return (bySeries != 0) ? bySeries : Long.compare(this.start, other.start);
		}

	}

	private static final class Pane {

		private final Statistics statistics;

		/** -1 until first emitted. */
		private int revision = -1;

		private boolean dirty;

		Pane(Statistics statistics) {
			this.statistics = statistics;
		}

	}

}
