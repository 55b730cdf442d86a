package io.millrace.processing.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Per-sensor, per-metric tumbling windows over event time, closed by a bounded
 * out-of-orderness watermark. Each closed window is emitted once, as a final aggregate.
 * An event whose window has already closed is reported as late and changes nothing.
 * <p>
 * Not thread-safe: one operator belongs to one consumer thread.
 */
public final class WindowOperator {

	private static final Comparator<WindowAggregate> EMISSION_ORDER = Comparator
		.comparing((WindowAggregate aggregate) -> aggregate.window().start())
		.thenComparing(WindowAggregate::sensorId)
		.thenComparing(WindowAggregate::metric);

	private final TumblingWindows windows;

	private final BoundedOutOfOrdernessWatermark watermark;

	private final Clock clock;

	/** Open windows by end, so closing them is a walk over the head of the map. */
	private final NavigableMap<Instant, Map<Series, RunningStatistics>> openWindows = new TreeMap<>();

	private long openSeries;

	/**
	 * An operator.
	 * @param windows the window assigner
	 * @param maxOutOfOrderness tolerated disorder of event time
	 * @param clock processing-time clock, for {@code emittedAt}
	 */
	public WindowOperator(TumblingWindows windows, Duration maxOutOfOrderness, Clock clock) {
		this.windows = windows;
		this.watermark = new BoundedOutOfOrdernessWatermark(maxOutOfOrderness);
		this.clock = clock;
	}

	/**
	 * Add an event to its windows and emit every window the watermark has now passed.
	 * @param event a valid event
	 * @return the aggregates closed by this event, and whether the event itself was late
	 */
	public Output process(TelemetryEvent event) {
		AggregateWindow window = this.windows.windowOf(event.timestamp());
		if (!window.end().isAfter(this.watermark.current())) {
			return new Output(List.of(), true);
		}
		Map<Series, RunningStatistics> series = this.openWindows.computeIfAbsent(window.end(),
				(end) -> new HashMap<>());
		event.metrics()
			.forEach((metric, value) -> series.computeIfAbsent(new Series(event.sensorId(), metric, window), (key) -> {
				this.openSeries++;
				return new RunningStatistics();
			}).add(event.timestamp(), value));
		this.watermark.observe(event.timestamp());
		return new Output(closeCompleteWindows(), false);
	}

	private List<WindowAggregate> closeCompleteWindows() {
		Instant now = this.clock.instant();
		List<WindowAggregate> closed = new ArrayList<>();
		Iterator<Map<Series, RunningStatistics>> complete = this.openWindows.headMap(this.watermark.current(), true)
			.values()
			.iterator();
		while (complete.hasNext()) {
			Map<Series, RunningStatistics> series = complete.next();
			series.forEach((key, statistics) -> closed
				.add(statistics.toAggregate(key.sensorId(), key.metric(), key.window(), true, 0, now)));
			this.openSeries -= series.size();
			complete.remove();
		}
		closed.sort(EMISSION_ORDER);
		return closed;
	}

	/**
	 * The current watermark.
	 * @return the watermark, {@link Instant#MIN} before the first event
	 */
	public Instant watermark() {
		return this.watermark.current();
	}

	/**
	 * How many (sensor, metric, window) aggregates are still open.
	 * @return the count
	 */
	public long openSeries() {
		return this.openSeries;
	}

	/**
	 * What one event caused.
	 *
	 * @param closed final aggregates of the windows that closed, in window-start order
	 * @param late whether the event arrived after its window closed (it was not counted)
	 */
	public record Output(List<WindowAggregate> closed, boolean late) {
	}

	private record Series(String sensorId, String metric, AggregateWindow window) {
	}

}
