package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.TreeSet;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Sliding windows, as in Stream Analytics: a window ends at every instant where a reading
 * enters ({@code x = t}) or leaves ({@code x = t + size}) the trailing interval, and
 * holds the readings in {@code (x - size, x]}, written
 * {@code [x - size + 1 ms, x + 1 ms)}. Each non-empty window is emitted once, final, when
 * the watermark passes its end plus the allowed lateness; the readings are buffered until
 * no window can need them.
 */
final class SlidingStore implements WindowStore {

	private final WindowSpec.Sliding spec;

	private final long size;

	private final Emission emission;

	private final Map<SeriesKey, Series> series = new HashMap<>();

	private final CheckSchedule schedule = new CheckSchedule();

	SlidingStore(WindowSpec.Sliding spec, Emission emission) {
		this.spec = spec;
		this.size = spec.size().toMillis();
		this.emission = emission;
	}

	@Override
	public boolean add(SeriesKey key, long eventTime, double value, long watermark, List<WindowAggregate> out) {
		long lateness = this.emission.allowedLateness();
		long through = watermark - lateness - 1;
		// The reading belongs to the windows ending in [t, t + size - 1]; all of them
		// emitted means too late.
		if (eventTime + this.size - 1 <= through) {
			return false;
		}
		Series state = this.series.get(key);
		if (state == null) {
			state = new Series();
			state.emittedThrough = through;
			this.series.put(key, state);
		}
		else {
			// Windows the watermark already passed are emitted without this reading.
			emitThrough(key, state, through, out);
		}
		state.readings.add(eventTime, value);
		this.schedule.atOrBefore(key, Math.max(eventTime, state.emittedThrough + 1) + 1 + lateness);
		return true;
	}

	@Override
	public void advance(long watermark, List<WindowAggregate> out) {
		long through = watermark - this.emission.allowedLateness() - 1;
		for (SeriesKey key : this.schedule.due(watermark)) {
			Series state = this.series.get(key);
			if (state == null) {
				continue;
			}
			emitThrough(key, state, through, out);
			state.readings.removeBefore(state.emittedThrough - this.size + 1);
			if (state.readings.isEmpty()) {
				this.series.remove(key);
			}
			else {
				this.schedule.set(key, nextBoundary(state) + 1 + this.emission.allowedLateness());
			}
		}
	}

	private void emitThrough(SeriesKey key, Series state, long through, List<WindowAggregate> out) {
		if (through <= state.emittedThrough) {
			return;
		}
		TreeSet<Long> boundaries = new TreeSet<>();
		for (long time : state.readings.view()
			.subMap(state.emittedThrough - this.size, false, through, true)
			.keySet()) {
			if (time > state.emittedThrough) {
				boundaries.add(time);
			}
			long leaves = time + this.size;
			if (leaves > state.emittedThrough && leaves <= through) {
				boundaries.add(leaves);
			}
		}
		for (long end : boundaries) {
			Statistics statistics = state.readings.statistics(end - this.size + 1, end + 1, this.emission);
			if (statistics.count() == 0) {
				continue;
			}
			AggregateWindow window = new AggregateWindow(this.spec.kind(), Instant.ofEpochMilli(end - this.size + 1),
					Instant.ofEpochMilli(end + 1), this.spec.size(), null, null);
			out.add(statistics.toAggregate(key.sensorId(), key.metric(), window, true, 0, this.emission.now()));
		}
		state.emittedThrough = through;
	}

	private long nextBoundary(Series state) {
		Long entering = state.readings.view().higherKey(state.emittedThrough);
		Long leaving = state.readings.view().higherKey(state.emittedThrough - this.size);
		long next = Long.MAX_VALUE;
		if (entering != null) {
			next = entering;
		}
		if (leaving != null) {
			next = Math.min(next, leaving + this.size);
		}
		return next;
	}

	@Override
	public void emitEarly(long watermark, List<WindowAggregate> out) {
		// Sliding windows are emitted final only.
	}

	@Override
	public long openWindows() {
		return this.series.size();
	}

	@Override
	public long estimatedBytes() {
		return this.series.values().stream().mapToLong((state) -> 64 + state.readings.estimatedBytes()).sum();
	}

	@Override
	public void writeTo(DataOutput out, Predicate<SeriesKey> include) throws IOException {
		List<Map.Entry<SeriesKey, Series>> selected = this.series.entrySet()
			.stream()
			.filter((entry) -> include.test(entry.getKey()))
			.toList();
		out.writeInt(selected.size());
		for (Map.Entry<SeriesKey, Series> entry : selected) {
			entry.getKey().writeTo(out);
			out.writeLong(entry.getValue().emittedThrough);
			entry.getValue().readings.writeTo(out);
		}
	}

	@Override
	public void mergeFrom(DataInput in) throws IOException {
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			SeriesKey key = SeriesKey.readFrom(in);
			Series state = new Series(in.readLong(), ReadingBuffer.readFrom(in));
			this.series.put(key, state);
			this.schedule.set(key, nextBoundary(state) + 1 + this.emission.allowedLateness());
		}
	}

	@Override
	public void drop(Predicate<SeriesKey> exclude) {
		List<SeriesKey> dropped = this.series.keySet().stream().filter(exclude).toList();
		for (SeriesKey key : dropped) {
			this.series.remove(key);
			this.schedule.cancel(key);
		}
	}

	private static final class Series {

		private final ReadingBuffer readings;

		private long emittedThrough;

		Series() {
			this(PartitionWatermarks.NONE, new ReadingBuffer());
		}

		Series(long emittedThrough, ReadingBuffer readings) {
			this.emittedThrough = emittedThrough;
			this.readings = readings;
		}

	}

}
