package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Session windows, computed from each series' buffered readings so that the result does
 * not depend on arrival order: readings less than {@code gap} apart form a session
 * {@code [first, last + gap)}, and with a maximum duration a reading at or after
 * {@code first + maxDuration} starts the next one. A session is emitted once, final, when
 * the watermark passes its end plus the allowed lateness. Early results are not emitted
 * for sessions.
 */
final class SessionStore implements WindowStore {

	private final WindowSpec.Session spec;

	private final long gap;

	private final long maxDuration;

	private final Emission emission;

	private final Map<SeriesKey, Series> series = new HashMap<>();

	private final CheckSchedule schedule = new CheckSchedule();

	SessionStore(WindowSpec.Session spec, Emission emission) {
		this.spec = spec;
		this.gap = spec.gap().toMillis();
		this.maxDuration = (spec.maxDuration() != null) ? spec.maxDuration().toMillis() : Long.MAX_VALUE / 4;
		this.emission = emission;
	}

	@Override
	public boolean add(SeriesKey key, long eventTime, double value, long watermark, List<WindowAggregate> out) {
		Series state = this.series.computeIfAbsent(key, (ignored) -> new Series());
		if (eventTime < state.finalizedThrough) {
			return false;
		}
		boolean ownSessionExpired = eventTime + this.gap + this.emission.allowedLateness() <= watermark;
		if (ownSessionExpired && !state.readings.anyBetween(eventTime - this.gap, eventTime + this.gap)) {
			if (state.readings.isEmpty()) {
				this.series.remove(key);
			}
			return false;
		}
		state.readings.add(eventTime, value);
		this.schedule.atOrBefore(key, eventTime + this.gap + this.emission.allowedLateness());
		return true;
	}

	@Override
	public void advance(long watermark, List<WindowAggregate> out) {
		for (SeriesKey key : this.schedule.due(watermark)) {
			Series state = this.series.get(key);
			if (state == null) {
				continue;
			}
			closeSessions(key, state, watermark, out);
			if (state.readings.isEmpty()) {
				// Keep the series until a reading before its last session's end would be
				// too late
				// on its own, so that no late reading can open a session overlapping a
				// final one.
				long forgetAt = state.finalizedThrough + this.gap + this.emission.allowedLateness();
				if (forgetAt <= watermark) {
					this.series.remove(key);
				}
				else {
					this.schedule.set(key, forgetAt);
				}
			}
		}
	}

	private void closeSessions(SeriesKey key, Series state, long watermark, List<WindowAggregate> out) {
		long lateness = this.emission.allowedLateness();
		while (!state.readings.isEmpty()) {
			long start = state.readings.firstTime();
			long last = start;
			for (long time : state.readings.view().keySet()) {
				if (time - last >= this.gap || time - start >= this.maxDuration) {
					break;
				}
				last = time;
			}
			long end = last + this.gap;
			if (end + lateness > watermark) {
				this.schedule.set(key, end + lateness);
				return;
			}
			Statistics statistics = state.readings.statistics(start, last + 1, this.emission);
			AggregateWindow window = new AggregateWindow(this.spec.kind(), Instant.ofEpochMilli(start),
					Instant.ofEpochMilli(end), null, null, this.spec.gap());
			out.add(statistics.toAggregate(key.sensorId(), key.metric(), window, true, 0, this.emission.now()));
			state.readings.removeBefore(last + 1);
			state.finalizedThrough = end;
		}
	}

	@Override
	public void emitEarly(long watermark, List<WindowAggregate> out) {
		// Sessions are emitted final only: their boundaries are not known until they
		// close.
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
			out.writeLong(entry.getValue().finalizedThrough);
			entry.getValue().readings.writeTo(out);
		}
	}

	@Override
	public void mergeFrom(DataInput in) throws IOException {
		long lateness = this.emission.allowedLateness();
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			SeriesKey key = SeriesKey.readFrom(in);
			Series state = new Series(in.readLong(), ReadingBuffer.readFrom(in));
			this.series.put(key, state);
			// The schedule only needs a lower bound: the next check recomputes it
			// exactly.
			this.schedule.set(key, state.readings.isEmpty() ? state.finalizedThrough + this.gap + lateness
					: state.readings.firstTime() + this.gap + lateness);
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

		private long finalizedThrough;

		Series() {
			this(PartitionWatermarks.NONE, new ReadingBuffer());
		}

		Series(long finalizedThrough, ReadingBuffer readings) {
			this.finalizedThrough = finalizedThrough;
			this.readings = readings;
		}

	}

}
