package io.millrace.serving.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * The latest version of every window aggregate, by window key, for the retention period.
 * Upserts follow the contract: a final result replaces an early one, a higher revision
 * replaces a lower one, and a replayed record changes nothing, so consuming a topic twice
 * gives the same state.
 */
public final class AggregateStore {

	private final Duration retention;

	private final Map<String, SensorHistory> sensors = new ConcurrentHashMap<>();

	public AggregateStore(Duration retention) {
		this.retention = retention;
	}

	/**
	 * Store an aggregate unless a newer version of its window is already stored.
	 * @param aggregate the aggregate
	 * @return whether the store changed
	 */
	public boolean upsert(WindowAggregate aggregate) {
		SensorHistory history = this.sensors.computeIfAbsent(aggregate.sensorId(), (id) -> new SensorHistory());
		synchronized (history) {
			return history.upsert(aggregate, this.retention);
		}
	}

	/**
	 * Every known sensor with its newest window per metric, by sensor id.
	 * @return the sensors
	 */
	public List<SensorSummary> sensors() {
		List<SensorSummary> summaries = new ArrayList<>();
		this.sensors.forEach((id, history) -> {
			synchronized (history) {
				summaries.add(history.summary(id));
			}
		});
		summaries.sort(Comparator.comparing(SensorSummary::sensorId));
		return summaries;
	}

	/**
	 * A sensor's aggregates whose windows overlap {@code [from, to)}, by metric and
	 * window start.
	 * @param sensorId the sensor
	 * @param metric only this metric, or all when {@code null}
	 * @param from inclusive lower bound of event time, or {@code null}
	 * @param to exclusive upper bound of event time, or {@code null}
	 * @return the aggregates, empty when the sensor is unknown
	 */
	public Optional<List<WindowAggregate>> aggregates(String sensorId, String metric, Instant from, Instant to) {
		SensorHistory history = this.sensors.get(sensorId);
		if (history == null) {
			return Optional.empty();
		}
		synchronized (history) {
			return Optional.of(history.aggregates(metric, from, to));
		}
	}

	public int sensorCount() {
		return this.sensors.size();
	}

	/** One sensor's windows, per metric, ordered by window start. */
	private static final class SensorHistory {

		private final Map<String, NavigableMap<WindowAggregate.WindowKey, WindowAggregate>> metrics = new TreeMap<>();

		private static final Comparator<WindowAggregate.WindowKey> BY_WINDOW = Comparator
			.comparing(WindowAggregate.WindowKey::start)
			.thenComparing(WindowAggregate.WindowKey::end)
			.thenComparing(WindowAggregate.WindowKey::kind);

		boolean upsert(WindowAggregate aggregate, Duration retention) {
			NavigableMap<WindowAggregate.WindowKey, WindowAggregate> windows = this.metrics
				.computeIfAbsent(aggregate.metric(), (metric) -> new TreeMap<>(BY_WINDOW));
			WindowAggregate stored = windows.get(aggregate.key());
			if (stored != null && !supersedes(aggregate, stored)) {
				return false;
			}
			windows.put(aggregate.key(), aggregate);
			Instant horizon = windows.lastKey().end().minus(retention);
			windows.keySet().removeIf((key) -> key.end().isBefore(horizon));
			return true;
		}

		private static boolean supersedes(WindowAggregate incoming, WindowAggregate stored) {
			if (incoming.isFinal() != stored.isFinal()) {
				return incoming.isFinal();
			}
			return incoming.revision() > stored.revision();
		}

		SensorSummary summary(String sensorId) {
			Map<String, WindowAggregate> latest = new TreeMap<>();
			Instant lastSeen = null;
			for (var entry : this.metrics.entrySet()) {
				if (entry.getValue().isEmpty()) {
					continue;
				}
				WindowAggregate newest = entry.getValue().lastEntry().getValue();
				latest.put(entry.getKey(), newest);
				if (lastSeen == null || newest.window().end().isAfter(lastSeen)) {
					lastSeen = newest.window().end();
				}
			}
			return new SensorSummary(sensorId, lastSeen, latest);
		}

		List<WindowAggregate> aggregates(String metric, Instant from, Instant to) {
			List<WindowAggregate> result = new ArrayList<>();
			this.metrics.forEach((name, windows) -> {
				if (metric != null && !metric.equals(name)) {
					return;
				}
				for (WindowAggregate aggregate : windows.values()) {
					boolean endsAfterFrom = from == null || aggregate.window().end().isAfter(from);
					boolean startsBeforeTo = to == null || aggregate.window().start().isBefore(to);
					if (endsAfterFrom && startsBeforeTo) {
						result.add(aggregate);
					}
				}
			});
			return result;
		}

	}

	/**
	 * A sensor as {@code GET /api/v1/sensors} lists it.
	 *
	 * @param sensorId the sensor
	 * @param lastSeen end of its newest window (event time)
	 * @param latest its newest window aggregate per metric
	 */
	public record SensorSummary(String sensorId, Instant lastSeen, Map<String, WindowAggregate> latest) {
	}

}
