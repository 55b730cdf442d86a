package io.millrace.serving.store;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * The windows of one series of one sensor, by window start (epoch milliseconds), in one
 * array sorted by start. Only the store's writer changes it; readers scan it without
 * locks.
 * <p>
 * <b>Why an array.</b> Range reads (a sensor's series, and top-N, which reads the range
 * of every sensor) are the hot path: a binary search, then consecutive slots, one pointer
 * per window. The skip list this replaces cost a node, a boxed key and index levels per
 * window and about half of a top-N query's time in key comparisons and pointer chasing
 * (JFR, docs/benchmarks.md "Serving: queries and SSE fan-out").
 * <p>
 * <b>Writes.</b> Windows arrive in order of start almost always, so an upsert is a binary
 * search plus either a slot replaced in place (a newer revision), or an append into spare
 * capacity (amortized constant: the array grows by half when full). A window older than
 * the series' newest that is not there yet (a late window) is inserted by copying the
 * array: linear in the series' windows, which the retention bounds (1,440 for a day of
 * 1-minute windows). Removing the oldest (retention, the memory bound) clears its slot
 * and moves the start; the array is compacted once three quarters of it are unused.
 * <p>
 * <b>Readers.</b> A reader takes the current {@link Run} (one volatile read) and scans
 * its slots: the writer never moves a window inside an array a reader may hold, only
 * replaces a slot with a newer version of the same window (each {@link StoredWindow} is
 * immutable with final fields, so it is seen whole), fills a slot past the run's end, or
 * clears the oldest slot (readers skip cleared slots). So an iteration sees every window
 * that was there when it started and was not removed, each in one whole version, as
 * before.
 */
public final class Series {

	private static final StoredWindow[] NONE = new StoredWindow[0];

	private final String sensorId;

	private final SeriesKey key;

	private volatile Run run = new Run(NONE, 0, 0);

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
		Run current = this.run;
		return (current.to > current.from) ? current.windows[current.to - 1] : null;
	}

	/**
	 * @return its oldest window, or {@code null} when it has none left
	 */
	public StoredWindow oldest() {
		Run current = this.run;
		return (current.to > current.from) ? current.windows[current.from] : null;
	}

	/**
	 * Windows starting in {@code [from, to)}, by start.
	 * @param from inclusive lower bound (epoch ms)
	 * @param to exclusive upper bound (epoch ms)
	 * @return a view of the windows there when it is iterated
	 */
	public Collection<StoredWindow> startingIn(long from, long to) {
		if (from >= to) {
			return java.util.List.of();
		}
		Run current = this.run;
		int first = current.search(from);
		int end = current.search(to);
		return new Slice(current.windows, (first < 0) ? -first - 1 : first, (end < 0) ? -end - 1 : end);
	}

	/**
	 * @return all windows by start: a copy, linear in the series' windows (for a sensor's
	 * detail and for tests, not for hot paths)
	 */
	public NavigableMap<Long, StoredWindow> windows() {
		TreeMap<Long, StoredWindow> copy = new TreeMap<>();
		Run current = this.run;
		for (int i = current.from; i < current.to; i++) {
			StoredWindow window = current.windows[i];
			if (window != null) {
				copy.put(window.start, window);
			}
		}
		return Collections.unmodifiableNavigableMap(copy);
	}

	/**
	 * @param aggregate a window of this series from elsewhere (the Gold history)
	 * @return it as a stored window, not added to the store
	 */
	public StoredWindow detached(WindowAggregate aggregate) {
		return new StoredWindow(this, aggregate, -1);
	}

	public int size() {
		Run current = this.run;
		return current.to - current.from;
	}

	public boolean isEmpty() {
		return size() == 0;
	}

	/**
	 * @param start a window start
	 * @return the window stored with it, or {@code null}
	 */
	StoredWindow get(long start) {
		Run current = this.run;
		int index = current.search(start);
		return (index >= 0) ? current.windows[index] : null;
	}

	/**
	 * Store a version of a window (the writer only).
	 * @param version the version
	 * @return the version it replaced, or {@code null} if the window is new
	 */
	StoredWindow put(StoredWindow version) {
		Run current = this.run;
		int index = current.search(version.start);
		if (index >= 0) {
			StoredWindow replaced = current.windows[index];
			current.windows[index] = version;
			// Publish the slot's new content to readers that take the run after this.
			this.run = current;
			return replaced;
		}
		int at = -index - 1;
		if (at == current.to && current.to < current.windows.length) {
			current.windows[at] = version;
			this.run = new Run(current.windows, current.from, current.to + 1);
			return null;
		}
		int size = current.to - current.from;
		StoredWindow[] grown = new StoredWindow[Math.max(4, size + 1 + (size + 1) / 2)];
		System.arraycopy(current.windows, current.from, grown, 0, at - current.from);
		grown[at - current.from] = version;
		System.arraycopy(current.windows, at, grown, at - current.from + 1, current.to - at);
		this.run = new Run(grown, 0, size + 1);
		return null;
	}

	/**
	 * Remove its oldest window (the writer only).
	 * @return the window removed
	 */
	StoredWindow removeOldest() {
		Run current = this.run;
		if (current.to == current.from) {
			throw new NoSuchElementException("No window in " + this.key);
		}
		StoredWindow oldest = current.windows[current.from];
		int from = current.from + 1;
		int size = current.to - from;
		if (size > 0 && from > current.windows.length * 3 / 4) {
			StoredWindow[] compacted = new StoredWindow[Math.max(4, size + size / 2)];
			System.arraycopy(current.windows, from, compacted, 0, size);
			this.run = new Run(compacted, 0, size);
		}
		else {
			this.run = (size > 0) ? new Run(current.windows, from, current.to) : new Run(NONE, 0, 0);
		}
		// Readers of an older run may still reach the slot: they skip it once cleared,
		// and
		// the window can be collected.
		current.windows[current.from] = null;
		return oldest;
	}

	/**
	 * The windows {@code [from, to)} of an array, by start. Immutable bounds; the slots
	 * may be replaced by newer versions of the same windows, or cleared.
	 */
	private record Run(StoredWindow[] windows, int from, int to) {

		/**
		 * Where a start is, as {@link java.util.Arrays#binarySearch(long[], long)}: its
		 * index, or {@code -(insertion point) - 1}. Windows of a series are mostly evenly
		 * spaced, so the first probes interpolate between the ends (one or two probes
		 * instead of ~11 for 1,440 windows), then it bisects.
		 */
		int search(long start) {
			int low = this.from;
			int high = this.to - 1;
			int probes = 0;
			while (low <= high) {
				long lowStart = startAt(low);
				long highStart = startAt(high);
				if (start < lowStart) {
					return -low - 1;
				}
				if (start > highStart) {
					return -(high + 1) - 1;
				}
				int middle;
				if (probes++ < 3 && highStart > lowStart && lowStart != Long.MIN_VALUE) {
					middle = low + (int) ((double) (start - lowStart) / (highStart - lowStart) * (high - low));
				}
				else {
					middle = (low + high) >>> 1;
				}
				long middleStart = startAt(middle);
				if (middleStart < start) {
					low = middle + 1;
				}
				else if (middleStart > start) {
					high = middle - 1;
				}
				else {
					return middle;
				}
			}
			return -low - 1;
		}

		/**
		 * A slot's start; a cleared slot (only the oldest ones, below the current run)
		 * counts as before everything.
		 */
		private long startAt(int index) {
			StoredWindow window = this.windows[index];
			return (window != null) ? window.start : Long.MIN_VALUE;
		}

	}

	/** A range of a run's slots, skipping cleared ones. */
	private static final class Slice extends AbstractCollection<StoredWindow> {

		private final StoredWindow[] windows;

		private final int from;

		private final int to;

		Slice(StoredWindow[] windows, int from, int to) {
			this.windows = windows;
			this.from = from;
			this.to = Math.max(from, to);
		}

		@Override
		public Iterator<StoredWindow> iterator() {
			return new Iterator<>() {

				private int index = Slice.this.from;

				// Each slot is read once: the writer may clear an old one meanwhile.
				private StoredWindow next = advance();

				private StoredWindow advance() {
					while (this.index < Slice.this.to) {
						StoredWindow window = Slice.this.windows[this.index++];
						if (window != null) {
							return window;
						}
					}
					return null;
				}

				@Override
				public boolean hasNext() {
					return this.next != null;
				}

				@Override
				public StoredWindow next() {
					StoredWindow window = this.next;
					if (window == null) {
						throw new NoSuchElementException();
					}
					this.next = advance();
					return window;
				}

			};
		}

		@Override
		public int size() {
			int size = 0;
			for (int i = this.from; i < this.to; i++) {
				if (this.windows[i] != null) {
					size++;
				}
			}
			return size;
		}

		@Override
		public boolean isEmpty() {
			return !iterator().hasNext();
		}

	}

}
