package io.millrace.lakehouse.bronze;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.sink.RowMapper;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Bronze {@code bronze/telemetry_events}: every record of {@code telemetry-raw} as
 * ingested, one row per record, append-only. The canonical event's fields are columns;
 * fields the contract does not know are kept, as a JSON object, in
 * {@code unknown_fields}, so nothing a producer sent is lost; the source partition and
 * offset say where the row came from (unique per row) and are what exactly-once is
 * checked against. Partitioned by the event's UTC date, and hour when configured.
 */
public final class BronzeTable implements RowMapper<TelemetryEvent> {

	/** Where the table lives under the lakehouse root. */
	public static final String NAME = "bronze/telemetry_events";

	/** The contract's field names, and the aliases it accepts: not "unknown". */
	static final Set<String> KNOWN_FIELDS = Set.of("eventId", "event_id", "sensorId", "sensor_id", "timestamp",
			"event_time", "eventTime", "value", "measurements", "tags", "schemaVersion", "schema_version", "ingestedAt",
			"ingested_at");

	private static final ObjectMapper JSON = MillraceJson.mapper();

	private final TableDefinition definition;

	private final boolean byHour;

	/**
	 * @param byHour whether to partition by hour as well as by date
	 */
	public BronzeTable(boolean byHour) {
		this.byHour = byHour;
		StructType schema = new StructType().add("event_id", StringType.STRING, true)
			.add("sensor_id", StringType.STRING, false)
			.add("event_time", TimestampType.TIMESTAMP, false)
			.add("value", DoubleType.DOUBLE, true)
			.add("measurements", new MapType(StringType.STRING, DoubleType.DOUBLE, true), true)
			.add("tags", new MapType(StringType.STRING, StringType.STRING, true), true)
			.add("schema_version", IntegerType.INTEGER, true)
			.add("ingested_at", TimestampType.TIMESTAMP, true)
			.add("unknown_fields", StringType.STRING, true)
			.add("source_partition", StringType.STRING, false)
			.add("source_offset", LongType.LONG, false)
			.add("lakehouse_ingested_at", TimestampType.TIMESTAMP, false)
			.add("event_date", DateType.DATE, false);
		List<String> partitions = new ArrayList<>(List.of("event_date"));
		if (byHour) {
			schema = schema.add("event_hour", IntegerType.INTEGER, false);
			partitions.add("event_hour");
		}
		this.definition = new TableDefinition(NAME, schema, partitions);
	}

	public TableDefinition definition() {
		return this.definition;
	}

	@Override
	public Object[] toRow(SourceRecord<TelemetryEvent> record, long writtenAtMicros) {
		TelemetryEvent event = record.value();
		Object[] row = new Object[this.definition.schema().length()];
		int i = 0;
		row[i++] = event.eventId();
		row[i++] = event.sensorId();
		row[i++] = Timestamps.micros(event.timestamp());
		row[i++] = event.value();
		row[i++] = (event.measurements() != null) ? withoutNullKeys(event.measurements()) : null;
		row[i++] = (event.tags() != null) ? withoutNullKeys(event.tags()) : null;
		row[i++] = event.schemaVersion();
		row[i++] = Timestamps.micros(event.ingestedAt());
		row[i++] = unknownFields(record.payload());
		row[i++] = record.partition();
		row[i++] = record.offset();
		row[i++] = writtenAtMicros;
		row[i++] = Timestamps.utcDay(event.timestamp());
		if (this.byHour) {
			row[i++] = Timestamps.utcHour(event.timestamp());
		}
		return row;
	}

	/** A map key cannot be null in Delta; JSON cannot make one either, but be sure. */
	private static <V> Map<String, V> withoutNullKeys(Map<String, V> map) {
		if (!map.containsKey(null)) {
			return map;
		}
		Map<String, V> copy = new HashMap<>(map);
		copy.remove(null);
		return copy;
	}

	/**
	 * The record's fields the contract does not name, as a JSON object, or {@code null}
	 * when there are none. The payload is read a second time for this (the decoder keeps
	 * only the contract's fields): first only its top-level names, with a streaming
	 * parser that builds nothing, and only when one of them is unknown as a tree. The
	 * tree for every record was an eighth of Bronze's consumer thread (the Bronze
	 * benchmark in docs/benchmarks.md), and nearly every record has no unknown field.
	 */
	static String unknownFields(byte[] payload) {
		if (!hasUnknownField(payload)) {
			return null;
		}
		try {
			JsonNode tree = JSON.readTree(payload);
			if (!(tree instanceof ObjectNode object)) {
				return null;
			}
			ObjectNode unknown = null;
			for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				if (!KNOWN_FIELDS.contains(field.getKey())) {
					if (unknown == null) {
						unknown = JSON.createObjectNode();
					}
					unknown.set(field.getKey(), field.getValue());
				}
			}
			return (unknown != null) ? JSON.writeValueAsString(unknown) : null;
		}
		catch (IOException ex) {
			// The decoder read it a moment ago; cannot happen.
			throw new IllegalStateException("Could not read a decoded record again", ex);
		}
	}

	private static boolean hasUnknownField(byte[] payload) {
		try (JsonParser parser = JSON.getFactory().createParser(payload)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return false;
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				if (!KNOWN_FIELDS.contains(parser.currentName())) {
					return true;
				}
				parser.nextToken();
				parser.skipChildren();
			}
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read a decoded record again", ex);
		}
	}

}
