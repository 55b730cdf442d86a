package io.millrace.lakehouse.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.storage.CloseableIterators;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.model.json.MillraceJson;

/**
 * Reads the Bronze rows of a time range back as the canonical events they were, for a
 * replay. The range is pruned by the {@code event_date} partition column, so only the
 * days it touches are read; rows are then filtered by event time and sensor.
 * <p>
 * Events are handed over one table partition (a day, or an hour when Bronze is
 * partitioned by hour) at a time, partitions in time order and each sorted by event time
 * (then source partition and offset), so one sensor's events are replayed in the order
 * they happened. A partition's selected events are held in memory while they are sent.
 * <p>
 * The replay reads one snapshot of the table (its version is reported), so rows committed
 * while it runs are not part of it.
 */
final class BronzeReplaySource {

	private static final ObjectMapper JSON = MillraceJson.mapper();

	private final Engine engine;

	private final TableDefinition bronze;

	private final Table table;

	BronzeReplaySource(Engine engine, TableStorage storage, TableDefinition bronze) {
		this.engine = engine;
		this.bronze = bronze;
		this.table = Table.forPath(engine, storage.tablePath(bronze.name()));
	}

	/** The table's version now: what a replay reads. */
	long latestVersion() {
		return this.table.getLatestSnapshot(this.engine).getVersion();
	}

	/**
	 * @return how many rows the range and selection take, at the given version (only the
	 * event time and sensor columns are read)
	 */
	long count(long version, Instant from, Instant to, SensorSelection sensors) {
		StructType columns = new StructType().add(this.bronze.schema().get("sensor_id"))
			.add(this.bronze.schema().get("event_time"));
		long[] count = { 0 };
		for (List<Row> files : filesByPartition(version, from, to)) {
			read(version, files, columns, (batch, row) -> {
				if (selected(batch, row, from, to, sensors)) {
					count[0]++;
				}
			});
		}
		return count[0];
	}

	/**
	 * Hands the range's events to {@code consumer}, one table partition at a time.
	 * @param consumer takes a partition's events in order; may throw to stop
	 */
	void forEachPartition(long version, Instant from, Instant to, SensorSelection sensors,
			java.util.function.Consumer<List<ReplayEvent>> consumer) {
		for (List<Row> files : filesByPartition(version, from, to)) {
			List<ReplayEvent> events = new ArrayList<>();
			read(version, files, null, (batch, row) -> {
				if (selected(batch, row, from, to, sensors)) {
					events.add(event(batch, row));
				}
			});
			events.sort(Comparator.comparingLong(ReplayEvent::eventTimeMicros)
				.thenComparing(ReplayEvent::sourcePartition)
				.thenComparingLong(ReplayEvent::sourceOffset));
			if (!events.isEmpty()) {
				consumer.accept(events);
			}
		}
	}

	/** The files of the days the range touches, by table partition, in time order. */
	private List<List<Row>> filesByPartition(long version, Instant from, Instant to) {
		Snapshot snapshot = this.table.getSnapshotAsOfVersion(this.engine, version);
		int firstDay = (int) from.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
		int lastDay = (int) to.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
		Column date = new Column("event_date");
		Predicate days = new Predicate("AND", new Predicate(">=", date, Literal.ofDate(firstDay)),
				new Predicate("<=", date, Literal.ofDate(lastDay)));
		Map<String, List<Row>> byPartition = new TreeMap<>();
		try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder()
			.withFilter(days)
			.build()
			.getScanFiles(this.engine)) {
			while (batches.hasNext()) {
				try (CloseableIterator<Row> files = batches.next().getRows()) {
					while (files.hasNext()) {
						Row file = files.next();
						Map<String, String> values = InternalScanFileUtils.getPartitionValues(file);
						// Dates sort as text (yyyy-MM-dd); an hour is padded to sort too.
						String key = values.get("event_date") + "/"
								+ String.format("%02d", Integer.parseInt(values.getOrDefault("event_hour", "0")));
						byPartition.computeIfAbsent(key, (k) -> new ArrayList<>()).add(file);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the files of " + this.bronze.name(), ex);
		}
		return new ArrayList<>(byPartition.values());
	}

	private void read(long version, List<Row> files, StructType columns, RowConsumer consumer) {
		Snapshot snapshot = this.table.getSnapshotAsOfVersion(this.engine, version);
		Scan scan = (columns != null) ? snapshot.getScanBuilder().withReadSchema(columns).build()
				: snapshot.getScanBuilder().build();
		Row scanState = scan.getScanState(this.engine);
		StructType physical = ScanStateRow.getPhysicalDataReadSchema(this.engine, scanState);
		for (Row file : files) {
			FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
			try (CloseableIterator<FilteredColumnarBatch> logical = Scan
				.transformPhysicalData(this.engine, scanState, file, this.engine.getParquetHandler()
					.readParquetFiles(CloseableIterators.of(List.of(status).iterator()), physical, Optional.empty()))) {
				while (logical.hasNext()) {
					FilteredColumnarBatch filtered = logical.next();
					ColumnarBatch batch = filtered.getData();
					Optional<ColumnVector> selection = filtered.getSelectionVector();
					for (int row = 0; row < batch.getSize(); row++) {
						if (selection.isPresent()
								&& (selection.get().isNullAt(row) || !selection.get().getBoolean(row))) {
							continue;
						}
						consumer.accept(batch, row);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read " + status.getPath(), ex);
			}
		}
	}

	private static boolean selected(ColumnarBatch batch, int row, Instant from, Instant to, SensorSelection sensors) {
		long time = vector(batch, "event_time").getLong(row);
		return time >= Timestamps.micros(from) && time < Timestamps.micros(to)
				&& sensors.includes(vector(batch, "sensor_id").getString(row));
	}

	/**
	 * The canonical event (camelCase, as ingest writes it) the row was made from:
	 * Bronze's columns, and the fields the contract does not name put back.
	 */
	private static ReplayEvent event(ColumnarBatch batch, int row) {
		ObjectNode json = JSON.createObjectNode();
		String eventId = string(batch, "event_id", row);
		String sensorId = string(batch, "sensor_id", row);
		long eventTime = vector(batch, "event_time").getLong(row);
		if (eventId != null) {
			json.put("eventId", eventId);
		}
		json.put("sensorId", sensorId);
		json.put("timestamp", instant(eventTime).toString());
		ColumnVector value = vector(batch, "value");
		if (!value.isNullAt(row)) {
			json.put("value", value.getDouble(row));
		}
		ColumnVector measurements = vector(batch, "measurements");
		if (!measurements.isNullAt(row)) {
			ObjectNode map = json.putObject("measurements");
			MapValue entries = measurements.getMap(row);
			for (int i = 0; i < entries.getSize(); i++) {
				if (entries.getValues().isNullAt(i)) {
					map.putNull(entries.getKeys().getString(i));
				}
				else {
					map.put(entries.getKeys().getString(i), entries.getValues().getDouble(i));
				}
			}
		}
		ColumnVector tags = vector(batch, "tags");
		if (!tags.isNullAt(row)) {
			ObjectNode map = json.putObject("tags");
			MapValue entries = tags.getMap(row);
			for (int i = 0; i < entries.getSize(); i++) {
				map.put(entries.getKeys().getString(i),
						entries.getValues().isNullAt(i) ? null : entries.getValues().getString(i));
			}
		}
		ColumnVector schemaVersion = vector(batch, "schema_version");
		if (!schemaVersion.isNullAt(row)) {
			json.put("schemaVersion", schemaVersion.getInt(row));
		}
		ColumnVector ingestedAt = vector(batch, "ingested_at");
		if (!ingestedAt.isNullAt(row)) {
			json.put("ingestedAt", instant(ingestedAt.getLong(row)).toString());
		}
		String unknown = string(batch, "unknown_fields", row);
		if (unknown != null) {
			try {
				JsonNode fields = JSON.readTree(unknown);
				fields.fields().forEachRemaining((field) -> json.set(field.getKey(), field.getValue()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Bronze row of " + sensorId + " has unknown_fields that are not JSON",
						ex);
			}
		}
		try {
			return new ReplayEvent(sensorId, eventId, eventTime, string(batch, "source_partition", row),
					vector(batch, "source_offset").getLong(row), JSON.writeValueAsBytes(json));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ColumnVector vector(ColumnarBatch batch, String column) {
		return batch.getColumnVector(batch.getSchema().indexOf(column));
	}

	private static String string(ColumnarBatch batch, String column, int row) {
		ColumnVector vector = vector(batch, column);
		return vector.isNullAt(row) ? null : vector.getString(row);
	}

	private static Instant instant(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

	@FunctionalInterface
	private interface RowConsumer {

		void accept(ColumnarBatch batch, int row);

	}

	/**
	 * One event to publish.
	 *
	 * @param sensorId the record key
	 * @param eventId the event's id, as ingested
	 * @param eventTimeMicros its event time
	 * @param sourcePartition where Bronze took it from
	 * @param sourceOffset its offset there
	 * @param payload the canonical JSON
	 */
	record ReplayEvent(String sensorId, String eventId, long eventTimeMicros, String sourcePartition, long sourceOffset,
			byte[] payload) {
	}

}
