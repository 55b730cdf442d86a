package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * incrementally. Without allowed lateness a window is emitted once, final and on time,
 * when the watermark reaches its end. With allowed lateness it is emitted
 * <ul>
 * <li>on time, non-final, when the watermark reaches its end — always, once, even if an
 * early result already showed the same readings, so that "the watermark passed" is a
 * result consumers see;</li>
 * <li>late, non-final, right after each reading that arrives once the watermark has
 * passed its end (also the first readings of a window that opened late: such a window has
 * no on-time result);</li>
 * <li>late and final when the watermark reaches its end plus the lateness.</li>
 * </ul>
 * Early results, when asked for, are emitted before the end for windows that changed. So
 * no reading waits for the final to be seen, and the final repeats the last non-final
 * result with the next revision.
 * <p>
 * State is laid out series first: one lookup finds a series' few open panes, and an index
 * by window end (touched only when a pane opens) tells which series have windows to
 * close.
 */
final class AlignedWindowStore implements WindowStore {

	private static final Comparator<SeriesPanes> BY_SERIES = Comparator.comparing((panes) -> panes.key);

	private final String kind;

	private final long size;

	private final long advance;

	private final Duration sizeDuration;

	/** Written on hopping windows only. */
	private final Duration advanceDuration;

	private final Emission emission;

	private final Map<SeriesKey, SeriesPanes> series = new HashMap<>();

	/** Series with a pane ending at each instant. */
	private final NavigableMap<Long, List<SeriesPanes>> byEnd = new TreeMap<>();

	private long open;

	private final ChangedSeries changed = new ChangedSeries();

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
		this.sizeDuration = Duration.ofMillis(this.size);
		this.advanceDuration = (this.advance != this.size) ? Duration.ofMillis(this.advance) : null;
		this.emission = emission;
	}

	@Override
	public boolean add(SeriesKey key, long eventTime, double value, int sketchKey, long watermark,
			List<WindowAggregate> out) {
		SeriesPanes panes = null;
		boolean added = false;
		long lastStart = Math.floorDiv(eventTime, this.advance) * this.advance;
		for (long start = lastStart; start + this.size > eventTime; start -= this.advance) {
			long end = start + this.size;
			if (end + this.emission.allowedLateness() <= watermark) {
				continue;
			}
			if (panes == null) {
				panes = this.series.computeIfAbsent(key, SeriesPanes::new);
			}
			Pane pane = panes.find(start);
			if (pane == null) {
				pane = panes.open(new Pane(start, this.emission.sketch()));
				this.byEnd.computeIfAbsent(end, (ignored) -> new ArrayList<>()).add(panes);
				this.open++;
			}
			pane.add(eventTime, value, sketchKey);
			pane.dirty = true;
			if (end <= watermark) {
				out.add(emit(panes, pane, false, WindowAggregate.LATE));
			}
			added = true;
		}
		if (added) {
			this.changed.mark(panes);
		}
		return added;
	}

	@Override
	public void advance(long from, long to, List<WindowAggregate> out) {
		long lateness = this.emission.allowedLateness();
		// Most moves complete nothing (the watermark moves with nearly every event,
		// windows end once a minute): answered without creating map views.
		if (this.byEnd.isEmpty() || this.byEnd.firstKey() > to) {
			return;
		}
		if (lateness > 0) {
			// Every pane ending in (from, to] was opened before the watermark passed its
			// end, and no earlier move covered it: exactly one on-time result each.
			for (Map.Entry<Long, List<SeriesPanes>> entry : this.byEnd.subMap(from, false, to, true).entrySet()) {
				long start = entry.getKey() - this.size;
				for (SeriesPanes panes : sorted(entry.getValue())) {
					out.add(emit(panes, panes.find(start), false, WindowAggregate.ON_TIME));
				}
			}
		}
		Iterator<Map.Entry<Long, List<SeriesPanes>>> complete = this.byEnd.headMap(to - lateness, true)
			.entrySet()
			.iterator();
		while (complete.hasNext()) {
			Map.Entry<Long, List<SeriesPanes>> entry = complete.next();
			long start = entry.getKey() - this.size;
			for (SeriesPanes panes : sorted(entry.getValue())) {
				out.add(emit(panes, panes.close(start), true, this.emission.finalTiming()));
				this.open--;
				if (panes.isEmpty()) {
					this.series.remove(panes.key);
				}
			}
			complete.remove();
		}
	}

	@Override
	public void emitEarly(long watermark, List<WindowAggregate> out) {
		for (Map.Entry<Long, List<SeriesPanes>> entry : this.byEnd.tailMap(watermark, false).entrySet()) {
			long start = entry.getKey() - this.size;
			for (SeriesPanes panes : sorted(entry.getValue())) {
				Pane pane = panes.find(start);
				if (pane.dirty) {
					out.add(emit(panes, pane, false, WindowAggregate.EARLY));
				}
			}
		}
	}

	private static List<SeriesPanes> sorted(List<SeriesPanes> panes) {
		panes.sort(BY_SERIES);
		return panes;
	}

	private WindowAggregate emit(SeriesPanes panes, Pane pane, boolean isFinal, String timing) {
		// Every emission changes the pane's revision (and closing removes it).
		this.changed.mark(panes);
		pane.revision++;
		pane.dirty = false;
		return pane.toAggregate(panes.key.sensorId(), panes.key.metric(), window(pane.start), isFinal, pane.revision,
				timing, this.emission.now());
	}

	private AggregateWindow window(long start) {
		return new AggregateWindow(this.kind, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + this.size),
				this.sizeDuration, this.advanceDuration, null);
	}

	@Override
	public long openWindows() {
		return this.open;
	}

	@Override
	public long estimatedBytes() {
		long bytes = 0;
		for (SeriesPanes panes : this.series.values()) {
			bytes += 48 + 4L * panes.panes.length;
			for (int i = 0; i < panes.count; i++) {
				bytes += 16 + panes.panes[i].estimatedBytes();
			}
		}
		return bytes;
	}

	@Override
	public void writeTo(DataOutput out) throws IOException {
		out.writeInt(this.series.size());
		for (SeriesPanes panes : this.series.values()) {
			panes.key.writeTo(out);
			writePanes(panes, out);
		}
	}

	@Override
	public void readSeriesFrom(DataInput in) throws IOException {
		int seriesCount = in.readInt();
		for (int i = 0; i < seriesCount; i++) {
			SeriesKey key = SeriesKey.readFrom(in);
			this.series.put(key, readPanes(key, in));
		}
	}

	@Override
	public void rebuildIndex() {
		this.byEnd.clear();
		this.open = 0;
		for (SeriesPanes panes : this.series.values()) {
			for (int i = 0; i < panes.count; i++) {
				Pane pane = panes.panes[i];
				this.byEnd.computeIfAbsent(pane.start + this.size, (ignored) -> new ArrayList<>()).add(panes);
				this.open++;
			}
		}
	}

	@Override
	public void writeChangesTo(DataOutput out) throws IOException {
		this.changed.writeTo(this.series, AlignedWindowStore::writePanes, out);
	}

	@Override
	public void readChangesFrom(DataInput in) throws IOException {
		ChangedSeries.readFrom(this.series, this::readPanes, in);
	}

	@Override
	public void startOver() {
		this.changed.startOver();
	}

	private static void writePanes(SeriesPanes panes, DataOutput out) throws IOException {
		out.writeInt(panes.count);
		for (int i = 0; i < panes.count; i++) {
			Pane pane = panes.panes[i];
			out.writeLong(pane.start);
			out.writeInt(pane.revision);
			out.writeBoolean(pane.dirty);
			pane.writeTo(out);
		}
	}

	private SeriesPanes readPanes(SeriesKey key, DataInput in) throws IOException {
		SeriesPanes panes = new SeriesPanes(key);
		int paneCount = in.readInt();
		for (int j = 0; j < paneCount; j++) {
			Pane pane = new Pane(in.readLong(), this.emission.sketch());
			pane.revision = in.readInt();
			pane.dirty = in.readBoolean();
			pane.readFrom(in);
			panes.open(pane);
		}
		return panes;
	}

	/**
	 * The open panes of one series, by start; a handful at most (size / advance), in an
	 * array sized to them.
	 */
	private static final class SeriesPanes extends ChangedSeries.Tracked {

		private static final Pane[] NONE = new Pane[0];

		private Pane[] panes = NONE;

		private int count;

		SeriesPanes(SeriesKey key) {
			super(key);
		}

		Pane find(long start) {
			for (int i = this.count - 1; i >= 0; i--) {
				Pane pane = this.panes[i];
				if (pane.start == start) {
					return pane;
				}
			}
			return null;
		}

		Pane open(Pane pane) {
			if (this.count == this.panes.length) {
				this.panes = Arrays.copyOf(this.panes, this.count + 1);
			}
			this.panes[this.count++] = pane;
			return pane;
		}

		Pane close(long start) {
			for (int i = 0; i < this.count; i++) {
				Pane pane = this.panes[i];
				if (pane.start == start) {
					System.arraycopy(this.panes, i + 1, this.panes, i, this.count - i - 1);
					this.panes[--this.count] = null;
					return pane;
				}
			}
			throw new IllegalStateException("No pane starting at " + start + " for " + this.key);
		}

		boolean isEmpty() {
			return this.count == 0;
		}

	}

	/**
	 * One window of one series: its statistics, with the window's start and emission
	 * state as fields of the same object (one object per open window, plus its sketch
	 * counts).
	 */
	private static final class Pane extends Statistics {

		private final long start;

		/** -1 until first emitted. */
		private int revision = -1;

		private boolean dirty;

		Pane(long start, SketchMapping sketch) {
			super(sketch);
			this.start = start;
		}

	}

}
