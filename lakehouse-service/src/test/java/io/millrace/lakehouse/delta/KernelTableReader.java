package io.millrace.lakehouse.delta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table back with Kernel's own reader (its own engine, not the writer's):
 * the rows by column name, and the add actions of the log with their statistics. Scan
 * files are turned into file statuses with Kernel's internal helper, as Kernel's own
 * examples do. The table may be in any storage Kernel has a {@link FileIO} for.
 */
public final class KernelTableReader {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final FileIO fileIO;

	private final Engine engine;

	private final String path;

	/**
	 * @param fileIO the reader's own file access to the table's storage
	 * @param path the table's location
	 */
	public KernelTableReader(FileIO fileIO, String path) {
		this.fileIO = fileIO;
		this.engine = DefaultEngine.create(fileIO);
		this.path = path;
	}

	public KernelTableReader(String path) {
		this(new HadoopFileIO(new Configuration()), path);
	}

	public KernelTableReader(Path directory) {
		this(directory.toUri().toString());
	}

	public Snapshot snapshot() {
		return Table.forPath(this.engine, this.path).getLatestSnapshot(this.engine);
	}

	/**
	 * @return every row, each as column name to value (timestamps as UTC microseconds,
	 * dates as days since the epoch, maps as maps)
	 */
	public List<Map<String, Object>> rows() {
		List<Map<String, Object>> rows = new ArrayList<>();
		Scan scan = snapshot().getScanBuilder().build();
		Row scanState = scan.getScanState(this.engine);
		StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(this.engine, scanState);
		try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(this.engine)) {
			while (scanFiles.hasNext()) {
				try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
					while (files.hasNext()) {
						Row scanFile = files.next();
						FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
						CloseableIterator<ColumnarBatch> physical = this.engine.getParquetHandler()
							.readParquetFiles(single(status), physicalSchema, Optional.empty());
						try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(this.engine,
								scanState, scanFile, physical)) {
							while (logical.hasNext()) {
								DeltaTableReader.collect(logical.next(), rows);
							}
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows;
	}

	/**
	 * @param tableDirectory the table's directory
	 * @return every {@code add} action in the table's JSON commit files
	 */
	public static List<JsonNode> addActions(Path tableDirectory) {
		return actions(tableDirectory, "add");
	}

	/**
	 * @param tableDirectory the table's directory
	 * @param kind the action, for example {@code txn}
	 * @return every such action in the JSON commit files
	 */
	public static List<JsonNode> actions(Path tableDirectory, String kind) {
		return new KernelTableReader(tableDirectory).actions(kind);
	}

	/**
	 * @return every {@code add} action in the table's JSON commit files
	 */
	public List<JsonNode> addActions() {
		return actions("add");
	}

	/**
	 * @param kind the action, for example {@code txn}
	 * @return every such action in the JSON commit files, read through the file access
	 */
	public List<JsonNode> actions(String kind) {
		List<JsonNode> actions = new ArrayList<>();
		try (CloseableIterator<FileStatus> files = this.fileIO.listFrom(this.path + "/_delta_log/" + "0".repeat(20))) {
			while (files.hasNext()) {
				FileStatus file = files.next();
				if (!file.getPath().matches(".*/\\d{20}\\.json")) {
					continue;
				}
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(this.fileIO.newInputFile(file.getPath(), file.getSize()).newStream(),
								StandardCharsets.UTF_8))) {
					for (String line = lines.readLine(); line != null; line = lines.readLine()) {
						JsonNode action = JSON.readTree(line);
						if (action.has(kind)) {
							actions.add(action.get(kind));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return actions;
	}

	private static CloseableIterator<FileStatus> single(FileStatus status) {
		return new CloseableIterator<>() {

			private boolean done;

			@Override
			public boolean hasNext() {
				return !this.done;
			}

			@Override
			public FileStatus next() {
				this.done = true;
				return status;
			}

			@Override
			public void close() {
			}

		};
	}

}
