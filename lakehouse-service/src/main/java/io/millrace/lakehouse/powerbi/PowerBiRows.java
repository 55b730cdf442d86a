package io.millrace.lakehouse.powerbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * A final window aggregate as a row of the push dataset's table: the Gold table's columns
 * in Power BI's types (docs/lakehouse.md#power-bi-push has the dataset definition), with
 * the source partition and offset so that a report can drop the duplicates an
 * at-least-once push may leave after a crash.
 */
final class PowerBiRows {

	/** Power BI's limit on one string value of a POST rows request. */
	static final int MAX_STRING_CHARS = 4_000;

	/** Column name and Power BI data type, in order; at most 75 (Power BI's limit). */
	static final List<Map.Entry<String, String>> COLUMNS = List.of(Map.entry("sensorId", "String"),
			Map.entry("metric", "String"), Map.entry("windowKind", "String"), Map.entry("windowStart", "DateTime"),
			Map.entry("windowEnd", "DateTime"), Map.entry("count", "Int64"), Map.entry("sum", "Double"),
			Map.entry("min", "Double"), Map.entry("max", "Double"), Map.entry("avg", "Double"),
			Map.entry("stddev", "Double"), Map.entry("p50", "Double"), Map.entry("p95", "Double"),
			Map.entry("p99", "Double"), Map.entry("firstValue", "Double"), Map.entry("lastValue", "Double"),
			Map.entry("revision", "Int64"), Map.entry("emittedAt", "DateTime"), Map.entry("sourcePartition", "String"),
			Map.entry("sourceOffset", "Int64"));

	private PowerBiRows() {
	}

	/**
	 * @param aggregate a final aggregate
	 * @param partition its source partition
	 * @param offset its source offset
	 * @return the row; values Power BI has no type for (NaN, infinities) are left empty
	 */
	static Map<String, Object> of(WindowAggregate aggregate, String partition, long offset) {
		AggregateWindow window = aggregate.window();
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("sensorId", aggregate.sensorId());
		row.put("metric", aggregate.metric());
		row.put("windowKind", window.kind());
		row.put("windowStart", window.start().toString());
		row.put("windowEnd", window.end().toString());
		row.put("count", aggregate.count());
		row.put("sum", number(aggregate.sum()));
		row.put("min", number(aggregate.min()));
		row.put("max", number(aggregate.max()));
		row.put("avg", number(aggregate.avg()));
		row.put("stddev", number(aggregate.stddev()));
		row.put("p50", number(aggregate.p50()));
		row.put("p95", number(aggregate.p95()));
		row.put("p99", number(aggregate.p99()));
		row.put("firstValue", number(aggregate.firstValue()));
		row.put("lastValue", number(aggregate.lastValue()));
		row.put("revision", aggregate.revision());
		row.put("emittedAt", (aggregate.emittedAt() != null) ? aggregate.emittedAt().toString() : null);
		row.put("sourcePartition", partition);
		row.put("sourceOffset", offset);
		return row;
	}

	/**
	 * @param row a row
	 * @return the first column whose string value is over Power BI's limit, or
	 * {@code null}
	 */
	static String tooLong(Map<String, Object> row) {
		for (Map.Entry<String, Object> value : row.entrySet()) {
			if (value.getValue() instanceof String text && text.length() > MAX_STRING_CHARS) {
				return value.getKey();
			}
		}
		return null;
	}

	private static Double number(Double value) {
		return (value == null || value.isNaN() || value.isInfinite()) ? null : value;
	}

}
