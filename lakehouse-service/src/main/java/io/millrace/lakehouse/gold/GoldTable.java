package io.millrace.lakehouse.gold;

import java.time.Duration;

import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.sink.RowMapper;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Gold {@code gold/window_aggregates}: the final result of every window, one row each,
 * from {@code telemetry-aggregates}. processing-service emits a window's early, on-time
 * and late updates before its final ({@code final=true}, always the last and the highest
 * revision); only the final is kept, so the table is append-only and a window appears
 * once. Partitioned by the window start's UTC date.
 */
public final class GoldTable implements RowMapper<WindowAggregate> {

	/** Where the table lives under the lakehouse root. */
	public static final String NAME = "gold/window_aggregates";

	private final TableDefinition definition = new TableDefinition(NAME,
			new StructType().add("sensor_id", StringType.STRING, false)
				.add("metric", StringType.STRING, false)
				.add("window_kind", StringType.STRING, false)
				.add("window_start", TimestampType.TIMESTAMP, false)
				.add("window_end", TimestampType.TIMESTAMP, false)
				.add("window_size_ms", LongType.LONG, true)
				.add("window_advance_ms", LongType.LONG, true)
				.add("window_gap_ms", LongType.LONG, true)
				.add("count", LongType.LONG, false)
				.add("sum", DoubleType.DOUBLE, false)
				.add("min", DoubleType.DOUBLE, false)
				.add("max", DoubleType.DOUBLE, false)
				.add("avg", DoubleType.DOUBLE, false)
				.add("stddev", DoubleType.DOUBLE, true)
				.add("p50", DoubleType.DOUBLE, true)
				.add("p95", DoubleType.DOUBLE, true)
				.add("p99", DoubleType.DOUBLE, true)
				.add("first_value", DoubleType.DOUBLE, true)
				.add("last_value", DoubleType.DOUBLE, true)
				.add("revision", IntegerType.INTEGER, false)
				.add("timing", StringType.STRING, true)
				.add("emitted_at", TimestampType.TIMESTAMP, true)
				.add("source_partition", StringType.STRING, false)
				.add("source_offset", LongType.LONG, false)
				.add("window_date", DateType.DATE, false),
			java.util.List.of("window_date"));

	public TableDefinition definition() {
		return this.definition;
	}

	@Override
	public Object[] toRow(SourceRecord<WindowAggregate> record, long writtenAtMicros) {
		WindowAggregate aggregate = record.value();
		if (!aggregate.isFinal()) {
			return null;
		}
		AggregateWindow window = aggregate.window();
		return new Object[] { aggregate.sensorId(), aggregate.metric(), window.kind(),
				Timestamps.micros(window.start()), Timestamps.micros(window.end()), millis(window.size()),
				millis(window.advance()), millis(window.gap()), aggregate.count(), aggregate.sum(), aggregate.min(),
				aggregate.max(), aggregate.avg(), aggregate.stddev(), aggregate.p50(), aggregate.p95(), aggregate.p99(),
				aggregate.firstValue(), aggregate.lastValue(), aggregate.revision(), aggregate.timing(),
				Timestamps.micros(aggregate.emittedAt()), record.partition(), record.offset(),
				Timestamps.utcDay(window.start()) };
	}

	private static Long millis(Duration duration) {
		return (duration != null) ? duration.toMillis() : null;
	}

}
