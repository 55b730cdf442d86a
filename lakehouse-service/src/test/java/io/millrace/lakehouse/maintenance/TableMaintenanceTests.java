package io.millrace.lakehouse.maintenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.storage.CloseableIterators;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction, checkpoints and vacuum on a real table in a directory, read back with
 * Kernel's own reader (a separate engine). Subclasses run the same tests on another
 * {@link TableStorage} (Azure Blob Storage on Azurite).
 */
public class TableMaintenanceTests {

	static final Duration RETENTION = Duration.ofDays(7);

	@TempDir
	Path root;

	private final BronzeTable bronze = new BronzeTable(false);

	private TableStorage storage;

	private Engine engine;

	private DeltaTableWriter writer;

	@BeforeEach
	void createTable() {
		this.storage = newStorage();
		this.engine = DefaultEngine.create(this.storage.fileIO());
		this.writer = new DeltaTableWriter(this.engine, this.storage, this.bronze.definition(), "test");
		this.writer.ensureTable();
	}

	protected TableStorage newStorage() {
		return new LocalTableStorage(this.root);
	}

	protected FileIO readerFileIO() {
		return new HadoopFileIO(new Configuration());
	}

	private String tablePath() {
		return this.storage.tablePath(BronzeTable.NAME);
	}

	private KernelTableReader reader() {
		return new KernelTableReader(readerFileIO(), tablePath());
	}

	private TableCompactor compactor(int minFiles) {
		return new TableCompactor(this.engine, this.storage, this.bronze.definition(),
				new TableCompactor.Settings(128L << 20, 32L << 20, minFiles), "test-maintenance");
	}

	private TableVacuum vacuum() {
		return new TableVacuum(this.engine, this.storage, this.bronze.definition(), RETENTION);
	}

	/** Appends commits of {@code rowsPerCommit} rows over two dates: two files each. */
	private long append(String partition, long fromOffset, int commits, int rowsPerCommit) {
		long offset = fromOffset;
		Optional<Long> expected = this.writer.committedVersion("p-" + partition);
		for (int c = 0; c < commits; c++) {
			List<Object[]> rows = new ArrayList<>();
			for (int i = 0; i < rowsPerCommit; i++, offset++) {
				String day = (offset % 2 == 0) ? "2026-03-01" : "2026-03-02";
				rows.add(row(partition, offset,
						"{\"eventId\":\"e-" + partition + "-" + offset + "\",\"sensorId\":\"s" + (offset % 7)
								+ "\",\"timestamp\":\"" + day + "T10:00:00Z\",\"value\":" + offset
								+ ",\"tags\":{\"site\":\"a\"},\"firmware\":\"v" + offset + "\"}"));
			}
			this.writer.append("p-" + partition, expected, offset - 1, rows);
			expected = Optional.of(offset - 1);
		}
		return offset;
	}

	private Object[] row(String partition, long offset, String json) {
		try {
			TelemetryEvent event = MillraceJson.mapper().readValue(json, TelemetryEvent.class);
			return this.bronze.toRow(
					new SourceRecord<>(partition, offset, json.getBytes(StandardCharsets.UTF_8), event),
					1_767_225_600_000_000L);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Rows in a stable order, by source partition and offset. */
	private List<Map<String, Object>> sortedRows() {
		List<Map<String, Object>> rows = new ArrayList<>(reader().rows());
		rows.sort(Comparator.comparing((Map<String, Object> row) -> (String) row.get("source_partition"))
			.thenComparing((row) -> (Long) row.get("source_offset")));
		return rows;
	}

	private int liveFiles() {
		return reader().addActions().size() - reader().actions("remove").size();
	}

	private List<FileStatus> dataFiles() throws IOException {
		return this.storage.listTree(tablePath())
			.stream()
			.filter((file) -> file.getPath().endsWith(".parquet") && !file.getPath().contains("/_delta_log/"))
			.toList();
	}

	@Test
	void compactionKeepsEveryRowAndItsValuesInFewerFiles() {
		append("0", 0, 12, 40);
		List<Map<String, Object>> before = sortedRows();
		assertThat(before).hasSize(480);
		assertThat(liveFiles()).isEqualTo(24);

		CompactionResult result = compactor(2).compact();

		assertThat(result.partitions()).isEqualTo(2);
		assertThat(result.filesRemoved()).isEqualTo(24);
		assertThat(result.filesAdded()).isEqualTo(2);
		assertThat(result.conflicts()).isZero();
		assertThat(sortedRows()).isEqualTo(before);
		assertThat(liveFiles()).isEqualTo(2);
		// No row changed: both sides of the rewrite say so, and the new files have
		// statistics.
		List<JsonNode> removes = reader().actions("remove");
		assertThat(removes).hasSize(24)
			.allSatisfy((remove) -> assertThat(remove.get("dataChange").asBoolean()).isFalse());
		List<JsonNode> adds = reader().addActions();
		List<JsonNode> compacted = adds.subList(adds.size() - 2, adds.size());
		assertThat(compacted).allSatisfy((add) -> {
			assertThat(add.get("dataChange").asBoolean()).isFalse();
			assertThat(add.get("stats").asText()).contains("\"numRecords\":240");
		});
		// Nothing left to do: a second run finds no bin of two small files.
		assertThat(compactor(2).compact().filesRemoved()).isZero();
	}

	@Test
	void compactionLeavesPartitionsWithTooFewSmallFilesAlone() {
		append("0", 0, 3, 10);
		assertThat(compactor(4).compact()).isEqualTo(CompactionResult.NOTHING);
		assertThat(liveFiles()).isEqualTo(6);
	}

	@Test
	void compactionRacingTheSinkLosesAndDuplicatesNoRow() throws Exception {
		append("0", 0, 10, 20);
		AtomicBoolean appending = new AtomicBoolean(true);
		ExecutorService sink = Executors.newSingleThreadExecutor();
		try {
			// A second writer (the sink) keeps appending to another source partition
			// while the table is compacted again and again.
			Future<Long> appended = sink.submit(() -> {
				long offset = 0;
				while (appending.get() && offset < 2000) {
					offset = append("1", offset, 1, 20);
				}
				return offset;
			});
			int removed = 0;
			for (int round = 0; round < 6; round++) {
				removed += compactor(2).compact().filesRemoved();
			}
			appending.set(false);
			long sinkRows = appended.get();
			List<Map<String, Object>> rows = sortedRows();
			assertThat(removed).isGreaterThan(0);
			assertThat(rows).hasSize((int) (200 + sinkRows));
			Set<String> keys = rows.stream()
				.map((row) -> row.get("source_partition") + "@" + row.get("source_offset"))
				.collect(Collectors.toSet());
			assertThat(keys).hasSize(rows.size());
			assertThat(this.writer.committedVersion("p-1")).contains(sinkRows - 1);
		}
		finally {
			appending.set(false);
			sink.shutdownNow();
		}
	}

	@Test
	void aCheckpointIsWrittenWhenTheLatestIsTooFarBehind() {
		append("0", 0, 4, 5);
		TableCheckpointer checkpointer = new TableCheckpointer(this.engine, this.storage, this.bronze.definition(), 2);
		TableCheckpointer.CheckpointState state = checkpointer.check();
		assertThat(state.written()).isTrue();
		assertThat(state.checkpointVersion()).contains(4L);
		assertThat(state.versionsSinceCheckpoint()).isZero();
		assertThat(checkpointer.check().written()).isFalse();
		assertThat(reader().snapshot().getVersion()).isEqualTo(4);
		assertThat(sortedRows()).hasSize(20);
	}

	@Test
	void vacuumDeletesOldOrphansAndKeepsYoungOnesAndEveryReferencedFile() throws Exception {
		append("0", 0, 6, 10);
		compactor(2).compact();
		List<Map<String, Object>> before = sortedRows();
		String old = writeOrphan("event_date=2026-03-01/part-old-orphan.snappy.parquet");
		Thread.sleep(1500);
		String young = writeOrphan("event_date=2026-03-02/part-young-orphan.snappy.parquet");
		long youngAt = modifiedAt(young);
		assertThat(modifiedAt(old)).isLessThan(youngAt);

		// Within the retention, nothing unreferenced that a recent version needs goes:
		// the compacted-away files stay for readers of earlier versions.
		VacuumResult now = vacuum().vacuum(Instant.now());
		assertThat(now.filesDeleted()).isZero();
		assertThat(exists(old)).isTrue();

		// A week after the young orphan was written, less a moment: the old orphan and
		// the files the compaction replaced are past the retention; the young orphan is
		// not.
		VacuumResult later = vacuum().vacuum(Instant.ofEpochMilli(youngAt).plus(RETENTION));
		assertThat(exists(old)).isFalse();
		assertThat(exists(young)).isTrue();
		// Counted with their checksum files where the storage writes them (Hadoop's
		// local file system: .name.crc).
		assertThat(later.youngUnreferenced()).isPositive();
		assertThat(later.filesDeleted()).isGreaterThanOrEqualTo(1 + 12);
		assertThat(dataFiles()).hasSize(2 + 1);
		List<String> names = this.storage.listTree(tablePath()).stream().map(FileStatus::getPath).toList();
		assertThat(names.stream().filter((name) -> name.endsWith(".crc") && !name.contains("/_delta_log/")))
			.allSatisfy((crc) -> assertThat(names).contains(crc.replaceFirst("/\\.([^/]+)\\.crc$", "/$1")));
		assertThat(sortedRows()).isEqualTo(before);
		assertThat(this.storage.listTree(tablePath()).stream().filter((f) -> f.getPath().contains("/_delta_log/")))
			.isNotEmpty();
	}

	private String writeOrphan(String relative) throws IOException {
		String path = tablePath().endsWith("/") ? tablePath() + relative : tablePath() + "/" + relative;
		OutputFile file = this.storage.fileIO().newOutputFile(path);
		file.writeAtomically(CloseableIterators.of(List.of("not a parquet file").iterator()), true);
		return path;
	}

	private long modifiedAt(String path) throws IOException {
		return this.storage.listTree(tablePath())
			.stream()
			.filter((file) -> file.getPath().equals(path))
			.findFirst()
			.orElseThrow()
			.getModificationTime();
	}

	private boolean exists(String path) throws IOException {
		return this.storage.listTree(tablePath()).stream().anyMatch((file) -> file.getPath().equals(path));
	}

}
