package io.millrace.lakehouse.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * A sensor's final window aggregates over a time range, read back from
 * {@code gold/window_aggregates}: the history that serving-api's hot store no longer
 * holds. The predicate prunes the table's {@code window_date} partitions and lets Kernel
 * skip files by their statistics ({@code sensor_id}, {@code window_start}); the rows are
 * then filtered exactly. Gold holds finals only, once each (exactly-once writes); should
 * a window still appear twice, the highest revision wins.
 */
public final class GoldHistory {

	private static final List<String> COLUMNS = List.of("sensor_id", "metric", "window_kind", "window_start",
			"window_end", "window_size_ms", "window_advance_ms", "window_gap_ms", "count", "sum", "min", "max", "avg",
			"stddev", "p50", "p95", "p99", "first_value", "last_value", "revision", "timing", "emitted_at");

	private final DeltaTableReader gold;

	/**
	 * @param gold a reader of {@code gold/window_aggregates}
	 */
	public GoldHistory(DeltaTableReader gold) {
		this.gold = gold;
	}

	/**
	 * @param query what to read
	 * @return the matching finals, ordered by metric, kind, size and window start, at
	 * most {@code query.limit()} of them
	 */
	public List<WindowAggregate> windows(HistoryQuery query) {
		Map<String, WindowAggregate> newest = new LinkedHashMap<>();
		for (Map<String, Object> row : this.gold.rows(COLUMNS, Optional.of(predicate(query)))) {
			WindowAggregate aggregate = aggregate(row);
			if (!query.matches(aggregate)) {
				continue;
			}
			newest.merge(key(aggregate), aggregate, (a, b) -> (a.revision() >= b.revision()) ? a : b);
		}
		return newest.values()
			.stream()
			.sorted(Comparator.comparing(WindowAggregate::metric)
				.thenComparing((a) -> a.window().kind())
				.thenComparing((a) -> a.window().end().toEpochMilli() - a.window().start().toEpochMilli())
				.thenComparing((a) -> a.window().start()))
			.limit(query.limit())
			.toList();
	}

	private static Predicate predicate(HistoryQuery query) {
		Predicate sensor = DeltaTableReader.equalTo("sensor_id", query.sensorId());
		Predicate from = new Predicate(">=", new Column("window_start"),
				Literal.ofTimestamp(Timestamps.micros(query.from())));
		Predicate to = new Predicate("<", new Column("window_start"),
				Literal.ofTimestamp(Timestamps.micros(query.to())));
		Predicate firstDay = new Predicate(">=", new Column("window_date"),
				Literal.ofDate(Timestamps.utcDay(query.from())));
		Predicate lastDay = new Predicate("<=", new Column("window_date"),
				Literal.ofDate(Timestamps.utcDay(query.to())));
		return DeltaTableReader.and(DeltaTableReader.and(sensor, DeltaTableReader.and(firstDay, lastDay)),
				DeltaTableReader.and(from, to));
	}

	private static WindowAggregate aggregate(Map<String, Object> row) {
		AggregateWindow window = new AggregateWindow((String) row.get("window_kind"), instant(row.get("window_start")),
				instant(row.get("window_end")), duration(row.get("window_size_ms")),
				duration(row.get("window_advance_ms")), duration(row.get("window_gap_ms")));
		return new WindowAggregate((String) row.get("sensor_id"), (String) row.get("metric"), window,
				(Long) row.get("count"), (Double) row.get("sum"), (Double) row.get("min"), (Double) row.get("max"),
				(Double) row.get("avg"), (Double) row.get("stddev"), (Double) row.get("p50"), (Double) row.get("p95"),
				(Double) row.get("p99"), (Double) row.get("first_value"), (Double) row.get("last_value"), true,
				(Integer) row.get("revision"), (String) row.get("timing"), instant(row.get("emitted_at")));
	}

	private static String key(WindowAggregate aggregate) {
		AggregateWindow window = aggregate.window();
		return aggregate.metric() + '\u0000' + window.kind() + '\u0000' + window.start() + '\u0000' + window.end()
				+ '\u0000' + Objects.toString(window.advance());
	}

	private static Instant instant(Object micros) {
		return (micros != null) ? Timestamps.instant((Long) micros) : null;
	}

	private static Duration duration(Object millis) {
		return (millis != null) ? Duration.ofMillis((Long) millis) : null;
	}

	/**
	 * What to read.
	 *
	 * @param sensorId the sensor
	 * @param metric only this metric, or {@code null} for every one
	 * @param kind only this window kind, or {@code null}
	 * @param size only windows of this size (a session's gap), or {@code null}
	 * @param from the first window start, inclusive
	 * @param to the last window start, exclusive
	 * @param limit how many windows at most
	 */
	public record HistoryQuery(String sensorId, String metric, String kind, Duration size, Instant from, Instant to,
			int limit) {

		boolean matches(WindowAggregate aggregate) {
			AggregateWindow window = aggregate.window();
			long start = window.start().toEpochMilli();
			return aggregate.sensorId().equals(this.sensorId)
					&& (this.metric == null || this.metric.equals(aggregate.metric()))
					&& (this.kind == null || this.kind.equals(window.kind()))
					&& (this.size == null || this.size.equals(window.size()) || this.size.equals(window.gap()))
					&& start >= this.from.toEpochMilli() && start < this.to.toEpochMilli();
		}

	}

}
