package io.millrace.lakehouse.gold;

import java.util.List;

import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.millrace.lakehouse.delta.TableDefinition;

/**
 * Gold {@code gold/hourly_metrics}: per sensor, metric and UTC hour, the count, sum,
 * minimum, maximum and mean of the hour's final window aggregates, for Power BI or Fabric
 * to read directly (plain columns, {@code timestamp} not {@code timestamp_ntz},
 * partitioned by date). No quantiles: the finals carry p50/p95/p99 but no mergeable
 * sketch, and a quantile of quantiles is not one.
 */
public final class HourlyMetricsTable {

	/** Where the table lives under the lakehouse root. */
	public static final String NAME = "gold/hourly_metrics";

	private static final TableDefinition DEFINITION = new TableDefinition(NAME,
			new StructType().add("sensor_id", StringType.STRING, false)
				.add("metric", StringType.STRING, false)
				.add("hour_start", TimestampType.TIMESTAMP, false)
				.add("hour_end", TimestampType.TIMESTAMP, false)
				.add("count", LongType.LONG, false)
				.add("sum", DoubleType.DOUBLE, false)
				.add("min", DoubleType.DOUBLE, false)
				.add("max", DoubleType.DOUBLE, false)
				.add("avg", DoubleType.DOUBLE, false)
				.add("windows", IntegerType.INTEGER, false)
				.add("window_size_ms", LongType.LONG, false)
				.add("source_partition", StringType.STRING, false)
				.add("rolled_up_at", TimestampType.TIMESTAMP, false)
				.add("hour_date", DateType.DATE, false),
			List.of("hour_date"), 1);

	private HourlyMetricsTable() {
	}

	public static TableDefinition definition() {
		return DEFINITION;
	}

}
