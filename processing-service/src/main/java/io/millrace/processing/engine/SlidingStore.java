package io.millrace.processing.engine;

import java.time.Instant;
import java.util.List;
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
final class SlidingStore extends BufferedWindowStore {

	private final WindowSpec.Sliding spec;

	private final long size;

	SlidingStore(WindowSpec.Sliding spec, Emission emission) {
		super(emission);
		this.spec = spec;
		this.size = spec.size().toMillis();
	}

	@Override
	public boolean add(SeriesKey key, long eventTime, double value, int sketchKey, long watermark,
			List<WindowAggregate> out) {
		long lateness = this.emission.allowedLateness();
		long through = watermark - lateness - 1;
		// The reading belongs to the windows ending in [t, t + size - 1]; all of them
		// emitted means too late.
		if (eventTime + this.size - 1 <= through) {
			return false;
		}
		BufferedSeries state = this.series.get(key);
		if (state == null) {
			state = new BufferedSeries(key, through, new ReadingBuffer());
			this.series.put(key, state);
		}
		else {
			// Windows the watermark already passed are emitted without this reading.
			emitThrough(key, state, through, out);
		}
		this.changed.mark(state);
		state.readings.add(eventTime, value);
		this.schedule.atOrBefore(key, Math.max(eventTime, state.closedThrough + 1) + 1 + lateness);
		return true;
	}

	@Override
	public void advance(long from, long watermark, List<WindowAggregate> out) {
		long through = watermark - this.emission.allowedLateness() - 1;
		for (SeriesKey key : this.schedule.due(watermark)) {
			BufferedSeries state = this.series.get(key);
			if (state == null) {
				continue;
			}
			// A due series' boundary is passed, so its closedThrough moves.
			this.changed.mark(state);
			emitThrough(key, state, through, out);
			state.readings.removeBefore(state.closedThrough - this.size + 1);
			if (state.readings.isEmpty()) {
				this.series.remove(key);
			}
			else {
				this.schedule.set(key, nextCheck(state));
			}
		}
	}

	private void emitThrough(SeriesKey key, BufferedSeries state, long through, List<WindowAggregate> out) {
		if (through <= state.closedThrough) {
			return;
		}
		TreeSet<Long> boundaries = new TreeSet<>();
		for (long time : state.readings.view().subMap(state.closedThrough - this.size, false, through, true).keySet()) {
			if (time > state.closedThrough) {
				boundaries.add(time);
			}
			long leaves = time + this.size;
			if (leaves > state.closedThrough && leaves <= through) {
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
			out.add(statistics.toAggregate(key.sensorId(), key.metric(), window, true, 0, this.emission.finalTiming(),
					this.emission.now()));
		}
		state.closedThrough = through;
	}

	@Override
	protected long nextCheck(BufferedSeries state) {
		return nextBoundary(state) + 1 + this.emission.allowedLateness();
	}

	private long nextBoundary(BufferedSeries state) {
		Long entering = state.readings.view().higherKey(state.closedThrough);
		Long leaving = state.readings.view().higherKey(state.closedThrough - this.size);
		long next = Long.MAX_VALUE;
		if (entering != null) {
			next = entering;
		}
		if (leaving != null) {
			next = Math.min(next, leaving + this.size);
		}
		return next;
	}

}
