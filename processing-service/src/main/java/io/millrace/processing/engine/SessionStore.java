package io.millrace.processing.engine;

import java.time.Instant;
import java.util.List;

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
final class SessionStore extends BufferedWindowStore {

	private final WindowSpec.Session spec;

	private final long gap;

	private final long maxDuration;

	SessionStore(WindowSpec.Session spec, Emission emission) {
		super(emission);
		this.spec = spec;
		this.gap = spec.gap().toMillis();
		this.maxDuration = (spec.maxDuration() != null) ? spec.maxDuration().toMillis() : Long.MAX_VALUE / 4;
	}

	@Override
	public boolean add(SeriesKey key, long eventTime, double value, int sketchKey, long watermark,
			List<WindowAggregate> out) {
		BufferedSeries state = this.series.computeIfAbsent(key,
				(ignored) -> new BufferedSeries(key, PartitionWatermarks.NONE, new ReadingBuffer()));
		if (eventTime < state.closedThrough) {
			return false;
		}
		boolean ownSessionExpired = eventTime + this.gap + this.emission.allowedLateness() <= watermark;
		if (ownSessionExpired && !state.readings.anyBetween(eventTime - this.gap, eventTime + this.gap)) {
			if (state.readings.isEmpty()) {
				// Only the series this call created, in practice; marked in case not.
				this.changed.mark(state);
				this.series.remove(key);
			}
			return false;
		}
		this.changed.mark(state);
		state.readings.add(eventTime, value);
		this.schedule.atOrBefore(key, eventTime + this.gap + this.emission.allowedLateness());
		return true;
	}

	@Override
	public void advance(long from, long watermark, List<WindowAggregate> out) {
		for (SeriesKey key : this.schedule.due(watermark)) {
			BufferedSeries state = this.series.get(key);
			if (state == null) {
				continue;
			}
			// Marked whether or not the look closes anything (the schedule is only a
			// lower bound): a few extra series in a delta, and no path that forgets.
			this.changed.mark(state);
			closeSessions(key, state, watermark, out);
			if (state.readings.isEmpty()) {
				// Keep the series until a reading before its last session's end would be
				// too late
				// on its own, so that no late reading can open a session overlapping a
				// final one.
				long forgetAt = state.closedThrough + this.gap + this.emission.allowedLateness();
				if (forgetAt <= watermark) {
					this.series.remove(key);
				}
				else {
					this.schedule.set(key, forgetAt);
				}
			}
		}
	}

	@Override
	protected long nextCheck(BufferedSeries state) {
		long lateness = this.emission.allowedLateness();
		return state.readings.isEmpty() ? state.closedThrough + this.gap + lateness
				: state.readings.firstTime() + this.gap + lateness;
	}

	private void closeSessions(SeriesKey key, BufferedSeries state, long watermark, List<WindowAggregate> out) {
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
			out.add(statistics.toAggregate(key.sensorId(), key.metric(), window, true, 0, this.emission.finalTiming(),
					this.emission.now()));
			state.readings.removeBefore(last + 1);
			state.closedThrough = end;
		}
	}

}
