package io.millrace.lakehouse.silver;

import java.util.List;

import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.sink.Timestamps;

/**
 * The Silver tables: {@code silver/telemetry_readings} (one row per event and metric),
 * {@code silver/telemetry_quarantine} (readings a {@code drop} expectation kept out, with
 * the rules and the reason) and {@code silver/expectation_results} (per commit, each
 * rule's passed and failed counts).
 */
public final class SilverTables {

	/** Silver readings. */
	public static final String READINGS = "silver/telemetry_readings";

	/** Readings kept out by a {@code drop} expectation. */
	public static final String QUARANTINE = "silver/telemetry_quarantine";

	/** Expectation results per commit. */
	public static final String EXPECTATION_RESULTS = "silver/expectation_results";

	private static final StructType READING_COLUMNS = new StructType().add("event_id", StringType.STRING, true)
		.add("sensor_id", StringType.STRING, false)
		.add("event_time", TimestampType.TIMESTAMP, false)
		.add("metric", StringType.STRING, false)
		.add("source_metric", StringType.STRING, false)
		.add("value", DoubleType.DOUBLE, false)
		.add("unit", StringType.STRING, true)
		.add("sensor_name", StringType.STRING, true)
		.add("location", StringType.STRING, true)
		.add("latitude", DoubleType.DOUBLE, true)
		.add("longitude", DoubleType.DOUBLE, true)
		.add("sensor_tags", new MapType(StringType.STRING, StringType.STRING, true), true)
		.add("event_tags", new MapType(StringType.STRING, StringType.STRING, true), true)
		.add("ingested_at", TimestampType.TIMESTAMP, true)
		.add("source_partition", StringType.STRING, false)
		.add("source_offset", LongType.LONG, false)
		.add("lakehouse_ingested_at", TimestampType.TIMESTAMP, false);

	private static final TableDefinition READINGS_TABLE = new TableDefinition(READINGS,
			READING_COLUMNS.add("warnings", StringType.STRING, true).add("event_date", DateType.DATE, false),
			List.of("event_date"), 1);

	private static final TableDefinition QUARANTINE_TABLE = new TableDefinition(QUARANTINE,
			READING_COLUMNS.add("failed_rules", StringType.STRING, false)
				.add("reason", StringType.STRING, false)
				.add("event_date", DateType.DATE, false),
			List.of("event_date"), 1);

	private static final TableDefinition RESULTS_TABLE = new TableDefinition(EXPECTATION_RESULTS,
			new StructType().add("rule", StringType.STRING, false)
				.add("action", StringType.STRING, false)
				.add("expression", StringType.STRING, false)
				.add("passed", LongType.LONG, false)
				.add("failed", LongType.LONG, false)
				.add("source_partition", StringType.STRING, false)
				.add("first_offset", LongType.LONG, false)
				.add("last_offset", LongType.LONG, false)
				.add("silver_version", LongType.LONG, true)
				.add("committed_at", TimestampType.TIMESTAMP, false),
			List.of(), 1);

	private SilverTables() {
	}

	public static TableDefinition readings() {
		return READINGS_TABLE;
	}

	public static TableDefinition quarantine() {
		return QUARANTINE_TABLE;
	}

	public static TableDefinition expectationResults() {
		return RESULTS_TABLE;
	}

	/**
	 * @param reading a reading
	 * @param warnings the {@code warn} rules it failed, comma-separated, or {@code null}
	 * @return its Silver row
	 */
	static Object[] readingRow(Reading reading, String warnings) {
		Object[] row = new Object[READINGS_TABLE.schema().length()];
		int i = columns(reading, row);
		row[i++] = warnings;
		row[i] = Timestamps.utcDay(Timestamps.instant(reading.eventTimeMicros()));
		return row;
	}

	/**
	 * @param reading a reading
	 * @param failedRules the {@code drop} rules it failed, comma-separated
	 * @param reason why, with the values
	 * @return its quarantine row
	 */
	static Object[] quarantineRow(Reading reading, String failedRules, String reason) {
		Object[] row = new Object[QUARANTINE_TABLE.schema().length()];
		int i = columns(reading, row);
		row[i++] = failedRules;
		row[i++] = reason;
		row[i] = Timestamps.utcDay(Timestamps.instant(reading.eventTimeMicros()));
		return row;
	}

	private static int columns(Reading reading, Object[] row) {
		int i = 0;
		row[i++] = reading.eventId();
		row[i++] = reading.sensorId();
		row[i++] = reading.eventTimeMicros();
		row[i++] = reading.metric();
		row[i++] = reading.sourceMetric();
		row[i++] = reading.value();
		row[i++] = reading.unit();
		row[i++] = reading.sensorName();
		row[i++] = reading.location();
		row[i++] = reading.latitude();
		row[i++] = reading.longitude();
		row[i++] = reading.sensorTags();
		row[i++] = reading.eventTags();
		row[i++] = reading.ingestedAtMicros();
		row[i++] = reading.sourcePartition();
		row[i++] = reading.sourceOffset();
		row[i++] = reading.writtenAtMicros();
		return i;
	}

}
