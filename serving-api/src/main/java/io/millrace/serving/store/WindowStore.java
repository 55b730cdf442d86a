package io.millrace.serving.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * The hot store: the newest version of every window aggregate, by window key, for the
 * retention period and within a memory bound. Plain Java, no Spring.
 * <p>
 * <b>Upserts.</b> A window is identified by sensor, series (metric, kind, size/advance/
 * gap) and start. A final result replaces an early one, a higher revision a lower one; a
 * replay or an older revision changes nothing, so consuming the topic twice gives the
 * same state. Cost: a sensor lookup in a skip list by id ({@code O(log sensors)}), a hash
 * lookup of the series, a search of the series' sorted array ({@code O(log windows)}) and
 * an append to it or a replacement in place (amortized constant), and {@code O(log n)} in
 * the store-wide change index. Only a window older than its series' newest that is not
 * stored yet (a late one) is inserted by a copy of the series' array, linear in the
 * series' windows (see {@link Series}).
 * <p>
 * <b>Concurrency.</b> One writer, lock-free readers. Every change (upsert, eviction) runs
 * under this object's monitor, which only the consumer thread takes in practice (an
 * uncontended lock); readers never take it. The maps are concurrent skip lists and hash
 * maps, and each stored window is immutable and replaced whole, so a reader sees every
 * window in one version, iterates while the writer goes on, and never makes the consumer
 * wait (nor waits for it). A reader's view is weakly consistent: a range read while a
 * window is replaced shows the old or the new version.
 * <p>
 * <b>Retention.</b> The store's "now" is the newest window end it has seen, but never
 * later than the wall clock (so data replayed from the past is kept, and a sensor with a
 * clock in the future cannot push everything out). Windows that end before
 * {@code now - retention} are removed every {@code sweepInterval} (checked on upserts),
 * with the series and sensors left empty: a sensor silent for longer than the retention
 * is forgotten. An arriving window that already ends before that horizon is not stored.
 * <p>
 * <b>Memory bound.</b> Past {@code maxWindows} windows, the oldest windows of the whole
 * store (by start) are evicted until 1% below the bound.
 * <p>
 * <b>Change index.</b> Each stored version gets the next store-wide sequence number; the
 * index of sequence numbers to current versions lets a live stream resume after any
 * sequence number without a gap: every window changed since is there in its newest
 * version. {@link #evictedThrough()} is the highest sequence number of a version evicted
 * (not replaced): a reader resuming below it may have missed a window that is gone.
 */
public final class WindowStore {

	private final long retentionMillis;

	private final long maxWindows;

	private final long sweepIntervalMillis;

	private final Clock clock;

	private final ConcurrentSkipListMap<String, StoredSensor> sensors = new ConcurrentSkipListMap<>();

	private final ConcurrentSkipListMap<Long, StoredWindow> changes = new ConcurrentSkipListMap<>();

	private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

	private final AtomicLong windows = new AtomicLong();

	private final AtomicLong evictedByAge = new AtomicLong();

	private final AtomicLong evictedByCapacity = new AtomicLong();

	private final AtomicLong rejectedAsExpired = new AtomicLong();

	private final AtomicLong superseded = new AtomicLong();

	private volatile long sequence;

	private volatile long evictedThrough;

	private volatile long highWater = Long.MIN_VALUE;

	private long nextSweep = Long.MIN_VALUE;

	/**
	 * @param retention how long a window is kept, counted back from the store's now
	 * @param maxWindows most windows kept at once
	 * @param sweepInterval how often (wall clock) windows past the retention are removed
	 * @param clock the wall clock
	 */
	public WindowStore(Duration retention, long maxWindows, Duration sweepInterval, Clock clock) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive");
		}
		if (maxWindows < 1) {
			throw new IllegalArgumentException("maxWindows must be at least 1");
		}
		this.retentionMillis = retention.toMillis();
		this.maxWindows = maxWindows;
		this.sweepIntervalMillis = sweepInterval.toMillis();
		this.clock = clock;
	}

	/**
	 * Store an aggregate unless the same or a newer version of its window is stored, or
	 * its window is already past the retention.
	 * @param aggregate the aggregate
	 * @return whether the store changed
	 */
	public boolean upsert(WindowAggregate aggregate) {
		boolean changed;
		synchronized (this) {
			changed = write(aggregate);
			long now = this.clock.millis();
			if (now >= this.nextSweep) {
				this.nextSweep = now + this.sweepIntervalMillis;
				sweep(now);
			}
			if (this.windows.get() > this.maxWindows) {
				evictOldest();
			}
		}
		if (changed) {
			for (Runnable listener : this.changeListeners) {
				listener.run();
			}
		}
		return changed;
	}

	private boolean write(WindowAggregate aggregate) {
		long end = aggregate.window().end().toEpochMilli();
		if (end <= horizon(this.clock.millis())) {
			this.rejectedAsExpired.incrementAndGet();
			return false;
		}
		StoredSensor sensor = this.sensors.get(aggregate.sensorId());
		if (sensor == null) {
			sensor = new StoredSensor(aggregate.sensorId());
			this.sensors.put(sensor.sensorId(), sensor);
		}
		SeriesKey key = SeriesKey.of(aggregate);
		Series series = sensor.series.get(key);
		if (series == null) {
			series = new Series(sensor.sensorId(), key);
			sensor.series.put(key, series);
		}
		long start = aggregate.window().start().toEpochMilli();
		StoredWindow stored = series.get(start);
		if (stored != null && !stored.isSupersededBy(aggregate)) {
			this.superseded.incrementAndGet();
			return false;
		}
		long sequence = this.sequence + 1;
		StoredWindow version = new StoredWindow(series, aggregate, sequence);
		series.put(version);
		this.changes.put(sequence, version);
		if (stored != null) {
			this.changes.remove(stored.sequence);
		}
		else {
			this.windows.incrementAndGet();
		}
		this.sequence = sequence;
		if (end > sensor.lastSeen) {
			sensor.lastSeen = end;
		}
		if (end > this.highWater) {
			this.highWater = end;
		}
		return true;
	}

	private long horizon(long now) {
		if (this.highWater == Long.MIN_VALUE) {
			return Long.MIN_VALUE;
		}
		return Math.min(now, this.highWater) - this.retentionMillis;
	}

	/**
	 * Remove every window past the retention now, and the series and sensors left empty.
	 * Upserts do this every sweep interval; call it to do it at once.
	 */
	public synchronized void sweep() {
		sweep(this.clock.millis());
	}

	private void sweep(long now) {
		long horizon = horizon(now);
		if (horizon == Long.MIN_VALUE) {
			return;
		}
		for (StoredSensor sensor : this.sensors.values()) {
			for (Series series : sensor.series.values()) {
				StoredWindow first;
				while ((first = series.oldest()) != null && first.end <= horizon) {
					removeOldest(series);
					this.evictedByAge.incrementAndGet();
				}
			}
			dropIfEmpty(sensor);
		}
	}

	/** Evict the store's oldest windows until it is 1% below its bound. */
	private void evictOldest() {
		long target = this.maxWindows - Math.max(1, this.maxWindows / 100);
		PriorityQueue<Series> oldestFirst = new PriorityQueue<>(
				(a, b) -> Long.compare(a.oldest().start, b.oldest().start));
		for (StoredSensor sensor : this.sensors.values()) {
			for (Series series : sensor.series.values()) {
				if (!series.isEmpty()) {
					oldestFirst.add(series);
				}
			}
		}
		while (this.windows.get() > target && !oldestFirst.isEmpty()) {
			Series series = oldestFirst.poll();
			removeOldest(series);
			this.evictedByCapacity.incrementAndGet();
			if (!series.isEmpty()) {
				oldestFirst.add(series);
			}
		}
		for (StoredSensor sensor : this.sensors.values()) {
			dropIfEmpty(sensor);
		}
	}

	private void removeOldest(Series series) {
		StoredWindow window = series.removeOldest();
		this.changes.remove(window.sequence);
		this.windows.decrementAndGet();
		if (window.sequence > this.evictedThrough) {
			this.evictedThrough = window.sequence;
		}
	}

	private void dropIfEmpty(StoredSensor sensor) {
		Iterator<Series> series = sensor.series.values().iterator();
		while (series.hasNext()) {
			if (series.next().isEmpty()) {
				series.remove();
			}
		}
		if (sensor.series.isEmpty()) {
			this.sensors.remove(sensor.sensorId());
		}
	}

	/**
	 * Be told after each change (on the writer's thread, outside the store's lock: keep
	 * it short and never block).
	 * @param listener what to run
	 */
	public void onChange(Runnable listener) {
		this.changeListeners.add(listener);
	}

	/**
	 * @param sensorId a sensor
	 * @return it, or {@code null} when it has no window in the store
	 */
	public StoredSensor sensor(String sensorId) {
		return this.sensors.get(sensorId);
	}

	/**
	 * Sensors by id, a live view.
	 * @param prefix only ids starting with it, or {@code null}/empty for all
	 * @param after only ids after it (exclusive), or {@code null}
	 * @return the sensors by id
	 */
	public Collection<StoredSensor> sensors(String prefix, String after) {
		NavigableMap<String, StoredSensor> view = this.sensors;
		if (prefix != null && !prefix.isEmpty()) {
			view = view.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
		}
		if (after != null) {
			view = view.tailMap(after, false);
		}
		return view.values();
	}

	/**
	 * Current versions of the windows changed after a sequence number, by sequence
	 * number: a window changed several times since appears once, in its newest version.
	 * @param sequence a sequence number already seen (0 for everything)
	 * @return a live view
	 */
	public Collection<StoredWindow> changedAfter(long sequence) {
		return this.changes.tailMap(sequence, false).values();
	}

	/**
	 * @return the sequence number of the newest change (0 before the first)
	 */
	public long lastSequence() {
		return this.sequence;
	}

	/**
	 * @return the highest sequence number of a window evicted (by age or by the bound), 0
	 * if none was
	 */
	public long evictedThrough() {
		return this.evictedThrough;
	}

	public long windowCount() {
		return this.windows.get();
	}

	public int sensorCount() {
		return this.sensors.size();
	}

	/**
	 * @return windows removed for their age, so far
	 */
	public long evictedByAge() {
		return this.evictedByAge.get();
	}

	/**
	 * @return windows removed to stay within the bound, so far
	 */
	public long evictedByCapacity() {
		return this.evictedByCapacity.get();
	}

	/**
	 * @return aggregates not stored because their window was already past the retention
	 */
	public long rejectedAsExpired() {
		return this.rejectedAsExpired.get();
	}

	/**
	 * @return aggregates not stored because the same or a newer version was
	 */
	public long superseded() {
		return this.superseded.get();
	}

	/**
	 * @return the store's now: the newest window end seen, but not later than the wall
	 * clock; the wall clock before the first window (epoch ms)
	 */
	public long nowMillis() {
		long now = this.clock.millis();
		return (this.highWater == Long.MIN_VALUE) ? now : Math.min(now, this.highWater);
	}

	/**
	 * @return the oldest instant still kept, epoch ms, or {@code Long.MIN_VALUE} before
	 * the first window
	 */
	public long horizonMillis() {
		return horizon(this.clock.millis());
	}

	/**
	 * @return every series of every sensor (a snapshot of the list; the series are live)
	 */
	public List<Series> allSeries() {
		List<Series> all = new ArrayList<>();
		for (StoredSensor sensor : this.sensors.values()) {
			all.addAll(sensor.series.values());
		}
		return all;
	}

}
