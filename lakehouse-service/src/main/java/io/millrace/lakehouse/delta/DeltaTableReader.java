package io.millrace.lakehouse.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.storage.CloseableIterators;
import io.millrace.lakehouse.storage.TableStorage;

/**
 * Reads rows of one of this service's tables back, with the writers' engine, for what is
 * derived from a table: Silver's dedupe memory after a restart, Gold's hourly roll-up. A
 * predicate lets Kernel skip files by their statistics (every file of these tables comes
 * from one source partition's commit, so {@code source_partition = 'p'} skips the other
 * partitions' files); the rows are still filtered by the caller.
 */
public final class DeltaTableReader {

	private final Engine engine;

	private final Table table;

	/**
	 * @param engine the Kernel engine on the storage's file access
	 * @param storage where the table lives
	 * @param definition the table
	 */
	public DeltaTableReader(Engine engine, TableStorage storage, TableDefinition definition) {
		this.engine = engine;
		this.table = Table.forPath(engine, storage.tablePath(definition.name()));
	}

	/**
	 * @param column a string column
	 * @param value its value
	 * @return {@code column = 'value'}, for {@link #rows}
	 */
	public static Predicate equalTo(String column, String value) {
		return new Predicate("=", new Column(column), Literal.ofString(value));
	}

	/**
	 * @param column a timestamp column
	 * @param micros UTC microseconds
	 * @return {@code column >= micros}
	 */
	public static Predicate timestampAtLeast(String column, long micros) {
		return new Predicate(">=", new Column(column), Literal.ofTimestamp(micros));
	}

	/**
	 * @param column a date column
	 * @param epochDay days since the epoch
	 * @return {@code column = epochDay}
	 */
	public static Predicate dateEqualTo(String column, int epochDay) {
		return new Predicate("=", new Column(column), Literal.ofDate(epochDay));
	}

	/**
	 * The values of a date partition column the table's files hold, from the log alone
	 * (no data file is read).
	 * @param column a date partition column
	 * @return its values as days since the epoch; none when the table does not exist
	 */
	public java.util.SortedSet<Integer> partitionDays(String column) {
		java.util.SortedSet<Integer> days = new java.util.TreeSet<>();
		Snapshot snapshot;
		try {
			snapshot = this.table.getLatestSnapshot(this.engine);
		}
		catch (TableNotFoundException ex) {
			return days;
		}
		try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder()
			.build()
			.getScanFiles(this.engine)) {
			while (batches.hasNext()) {
				try (CloseableIterator<Row> files = batches.next().getRows()) {
					while (files.hasNext()) {
						String value = InternalScanFileUtils.getPartitionValues(files.next()).get(column);
						if (value != null) {
							days.add((int) java.time.LocalDate.parse(value).toEpochDay());
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + this.table.getPath(this.engine), ex);
		}
		return days;
	}

	/**
	 * @param left a predicate
	 * @param right another
	 * @return both
	 */
	public static Predicate and(Predicate left, Predicate right) {
		return new Predicate("AND", left, right);
	}

	/**
	 * @param columns the columns to read
	 * @param filter a predicate for skipping files, if any
	 * @return the rows (of the files the predicate does not rule out), as column name to
	 * value: timestamps as UTC microseconds, dates as days since the epoch, maps as maps;
	 * none when the table does not exist
	 */
	public List<Map<String, Object>> rows(List<String> columns, Optional<Predicate> filter) {
		List<Map<String, Object>> rows = new ArrayList<>();
		ScanBuilder builder;
		try {
			builder = this.table.getLatestSnapshot(this.engine).getScanBuilder();
		}
		catch (TableNotFoundException ex) {
			return rows;
		}
		StructType all = this.table.getLatestSnapshot(this.engine).getSchema();
		StructType read = new StructType();
		for (String column : columns) {
			read = read.add(all.get(column));
		}
		builder = builder.withReadSchema(read);
		if (filter.isPresent()) {
			builder = builder.withFilter(filter.get());
		}
		Scan scan = builder.build();
		Row scanState = scan.getScanState(this.engine);
		StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(this.engine, scanState);
		try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(this.engine)) {
			while (scanFiles.hasNext()) {
				try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
					while (files.hasNext()) {
						Row scanFile = files.next();
						FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
						CloseableIterator<ColumnarBatch> physical = this.engine.getParquetHandler()
							.readParquetFiles(CloseableIterators.of(List.of(status).iterator()), physicalSchema,
									Optional.empty());
						try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(this.engine,
								scanState, scanFile, physical)) {
							while (logical.hasNext()) {
								collect(logical.next(), rows);
							}
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.table.getPath(this.engine), ex);
		}
		return rows;
	}

	/**
	 * @param filtered a batch of a scan
	 * @param rows where its selected rows go, as column name to value (timestamps as UTC
	 * microseconds, dates as days since the epoch, maps as maps)
	 */
	public static void collect(FilteredColumnarBatch filtered, List<Map<String, Object>> rows) {
		ColumnarBatch batch = filtered.getData();
		StructType schema = batch.getSchema();
		Optional<ColumnVector> selection = filtered.getSelectionVector();
		for (int row = 0; row < batch.getSize(); row++) {
			if (selection.isPresent() && (selection.get().isNullAt(row) || !selection.get().getBoolean(row))) {
				continue;
			}
			Map<String, Object> values = new LinkedHashMap<>();
			for (int column = 0; column < schema.length(); column++) {
				values.put(schema.at(column).getName(), value(batch.getColumnVector(column), row));
			}
			rows.add(values);
		}
	}

	private static Object value(ColumnVector vector, int row) {
		if (vector.isNullAt(row)) {
			return null;
		}
		DataType type = vector.getDataType();
		if (type instanceof StringType) {
			return vector.getString(row);
		}
		if (type instanceof LongType || type instanceof TimestampType) {
			return vector.getLong(row);
		}
		if (type instanceof IntegerType || type instanceof DateType) {
			return vector.getInt(row);
		}
		if (type instanceof DoubleType) {
			return vector.getDouble(row);
		}
		if (type instanceof BooleanType) {
			return vector.getBoolean(row);
		}
		if (type instanceof MapType) {
			MapValue map = vector.getMap(row);
			Map<Object, Object> values = new HashMap<>();
			for (int i = 0; i < map.getSize(); i++) {
				values.put(value(map.getKeys(), i), value(map.getValues(), i));
			}
			return values;
		}
		throw new IllegalArgumentException("Unsupported type " + type);
	}

}
