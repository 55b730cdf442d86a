package io.millrace.lakehouse.delta;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.engine.Engine;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The writer against a real directory, read back with Kernel's own reader: rows and
 * types, file statistics, transaction ids as positions, the conditional commit that
 * fences a second writer (and deletes its files), and two writers racing on one table.
 * Subclasses run the same tests on another {@link TableStorage} (Azure Blob Storage).
 */
public class DeltaTableWriterTests {

	@TempDir
	Path root;

	private final BronzeTable bronze = new BronzeTable(true);

	private TableStorage storage;

	@BeforeEach
	void createStorage() {
		this.storage = newStorage();
	}

	/**
	 * @return a new, empty storage for one test
	 */
	protected TableStorage newStorage() {
		return new LocalTableStorage(this.root);
	}

	/**
	 * @return the reader's own file access to the storage (not the writers')
	 */
	protected FileIO readerFileIO() {
		return new HadoopFileIO(new Configuration());
	}

	/**
	 * @return the number of Parquet data files in the storage, whether a log references
	 * them or not
	 * @throws IOException if they cannot be counted
	 */
	protected long parquetFiles() throws IOException {
		try (Stream<Path> files = Files.walk(this.root)) {
			return files
				.filter((file) -> file.toString().endsWith(".parquet") && !file.toString().contains("_delta_log"))
				.count();
		}
	}

	private KernelTableReader reader() {
		return new KernelTableReader(readerFileIO(), this.storage.tablePath(BronzeTable.NAME));
	}

	private DeltaTableWriter writer(TableStorage storage) {
		Engine engine = DefaultEngine.create(storage.fileIO());
		DeltaTableWriter writer = new DeltaTableWriter(engine, storage, this.bronze.definition(), "test");
		writer.ensureTable();
		return writer;
	}

	private Object[] row(String partition, long offset, String json) {
		TelemetryEvent event = read(json);
		return this.bronze.toRow(new SourceRecord<>(partition, offset, json.getBytes(StandardCharsets.UTF_8), event),
				1_767_225_600_000_000L);
	}

	private static TelemetryEvent read(String json) {
		try {
			return MillraceJson.mapper().readValue(json, TelemetryEvent.class);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void rowsAreReadBackByKernelWithTypesPartitionsAndStatistics() {
		DeltaTableWriter writer = writer(this.storage);
		List<Object[]> rows = List.<Object[]>of(
				row("0", 10,
						"{\"eventId\":\"e1\",\"sensorId\":\"s1\",\"timestamp\":\"2026-01-01T10:00:00.123456Z\","
								+ "\"value\":42.5,\"tags\":{\"site\":\"a\"},\"firmware\":\"1.2\",\"extra\":{\"x\":1}}"),
				row("0", 11, "{\"sensor_id\":\"s2\",\"value\":7,\"timestamp\":\"2026-01-02T23:59:59Z\"}"),
				row("0", 12,
						"{\"eventId\":\"e3\",\"sensorId\":\"s1\",\"timestamp\":\"2026-01-01T11:00:00Z\","
								+ "\"measurements\":{\"temperature\":21.5,\"pressure\":1.01},\"schemaVersion\":1,"
								+ "\"ingestedAt\":\"2026-01-01T11:00:01Z\"}"));

		CommitResult result = writer.append("millrace-bronze-p0", Optional.empty(), 12, rows);

		assertThat(result.rows()).isEqualTo(3);
		assertThat(result.files()).isEqualTo(3);
		assertThat(writer.committedVersion("millrace-bronze-p0")).contains(12L);
		assertThat(writer.committedVersion("millrace-bronze-p1")).isEmpty();
		KernelTableReader reader = reader();
		List<Map<String, Object>> read = reader.rows();
		assertThat(read).hasSize(3);
		Map<String, Object> first = read.stream().filter((r) -> "e1".equals(r.get("event_id"))).findFirst().get();
		assertThat(first.get("sensor_id")).isEqualTo("s1");
		assertThat(first.get("event_time")).isEqualTo(Timestamps.micros(Instant.parse("2026-01-01T10:00:00.123456Z")));
		assertThat(first.get("value")).isEqualTo(42.5);
		assertThat(first.get("tags")).isEqualTo(Map.of("site", "a"));
		assertThat(first.get("unknown_fields")).isEqualTo("{\"firmware\":\"1.2\",\"extra\":{\"x\":1}}");
		assertThat(first.get("source_partition")).isEqualTo("0");
		assertThat(first.get("source_offset")).isEqualTo(10L);
		assertThat(first.get("event_date")).isEqualTo(20454);
		assertThat(first.get("event_hour")).isEqualTo(10);
		Map<String, Object> snake = read.stream().filter((r) -> "s2".equals(r.get("sensor_id"))).findFirst().get();
		assertThat(snake.get("event_id")).isNull();
		assertThat(snake.get("unknown_fields")).isNull();
		assertThat(snake.get("event_hour")).isEqualTo(23);
		Map<String, Object> third = read.stream().filter((r) -> "e3".equals(r.get("event_id"))).findFirst().get();
		assertThat(third.get("measurements")).isEqualTo(Map.of("temperature", 21.5, "pressure", 1.01));
		assertThat(third.get("ingested_at")).isEqualTo(Timestamps.micros(Instant.parse("2026-01-01T11:00:01Z")));
		assertThat(third.get("schema_version")).isEqualTo(1);

		// The schema says timestamp (UTC), not timestamp_ntz; the protocol stays at
		// reader 1 / writer 2.
		JsonNode metadata = reader.actions("metaData").get(0);
		assertThat(metadata.get("schemaString").asText()).contains("\"type\":\"timestamp\"")
			.doesNotContain("timestamp_ntz");
		assertThat(metadata.get("partitionColumns").toString()).isEqualTo("[\"event_date\",\"event_hour\"]");
		List<JsonNode> adds = reader.addActions();
		assertThat(adds).hasSize(3).allSatisfy((add) -> {
			JsonNode stats = readTree(add.get("stats").asText());
			assertThat(stats.get("numRecords").asLong()).isPositive();
			assertThat(stats.get("minValues").has("source_offset")).isTrue();
			assertThat(stats.get("maxValues").has("event_time")).isTrue();
			assertThat(stats.get("nullCount").has("event_id")).isTrue();
		});
		JsonNode day1 = adds.stream()
			.filter((add) -> add.get("partitionValues").get("event_hour").asText().equals("10"))
			.findFirst()
			.get();
		JsonNode stats = readTree(day1.get("stats").asText());
		assertThat(stats.get("minValues").get("source_offset").asLong()).isEqualTo(10);
		assertThat(stats.get("maxValues").get("value").asDouble()).isEqualTo(42.5);
		assertThat(day1.get("partitionValues").get("event_date").asText()).isEqualTo("2026-01-01");
		assertThat(reader.actions("txn")).singleElement()
			.satisfies((txn) -> assertThat(txn.get("appId").asText() + "@" + txn.get("version").asLong())
				.isEqualTo("millrace-bronze-p0@12"));
	}

	@Test
	void aWriterWhoseExpectedPositionIsStaleIsFencedAndItsFilesAreDeleted() throws IOException {
		DeltaTableWriter owner = writer(this.storage);
		DeltaTableWriter zombie = writer(this.storage);
		String event = "{\"eventId\":\"e\",\"sensorId\":\"s\",\"value\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}";
		owner.append("millrace-bronze-p0", Optional.empty(), 4, List.<Object[]>of(row("0", 4, event)));
		owner.append("millrace-bronze-p0", Optional.of(4L), 6,
				List.<Object[]>of(row("0", 5, event), row("0", 6, event)));
		long filesBefore = parquetFiles();

		// Expects the partition at 4 and covers 5..9 (more than the owner did): refused,
		// told where the partition is.
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> zombie.append("millrace-bronze-p0", Optional.of(4L), 9,
					List.<Object[]>of(row("0", 5, event), row("0", 6, event), row("0", 7, event))))
			.satisfies((ex) -> assertThat(ex.committed()).contains(6L));
		// A repeated transaction version is refused too.
		assertThatExceptionOfType(FencedException.class).isThrownBy(
				() -> zombie.append("millrace-bronze-p0", Optional.empty(), 6, List.<Object[]>of(row("0", 6, event))));

		assertThat(parquetFiles()).as("the losing writer's files are gone").isEqualTo(filesBefore);
		assertThat(reader().rows()).hasSize(3);
		// Going on from where the table is works.
		zombie.append("millrace-bronze-p0", Optional.of(6L), 7, List.<Object[]>of(row("0", 7, event)));
		assertThat(owner.committedVersion("millrace-bronze-p0")).contains(7L);
	}

	@Test
	void ofTwoWritersRacingForOneVersionOfAPartitionOneWinsAndTheLosersFilesAreDeleted() throws IOException {
		String event = "{\"eventId\":\"e\",\"sensorId\":\"s\",\"value\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}";
		DeltaTableWriter winner = writer(this.storage);
		// The loser's commit, the exclusive create of the next log file, reaches the
		// storage just after the winner's commit took that version.
		FileIO racing = commitRace(this.storage.fileIO(), () -> winner.append("millrace-bronze-p0", Optional.empty(), 5,
				List.<Object[]>of(row("0", 4, event), row("0", 5, event))));
		DeltaTableWriter loser = writer(new TableStorage() {

			@Override
			public FileIO fileIO() {
				return racing;
			}

			@Override
			public String tablePath(String table) {
				return DeltaTableWriterTests.this.storage.tablePath(table);
			}

			@Override
			public String describe() {
				return "racing " + DeltaTableWriterTests.this.storage.describe();
			}

		});

		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> loser.append("millrace-bronze-p0", Optional.empty(), 6,
					List.<Object[]>of(row("0", 4, event), row("0", 5, event), row("0", 6, event))))
			.satisfies((ex) -> assertThat(ex.committed()).contains(5L));

		assertThat(reader().snapshot().getVersion()).as("table creation and the winner's commit").isEqualTo(1);
		assertThat(reader().rows()).hasSize(2);
		assertThat(parquetFiles()).as("only the winner's file is left").isEqualTo(1);
		assertThat(loser.committedVersion("millrace-bronze-p0")).contains(5L);
	}

	@Test
	void writersOfDifferentPartitionsRacingOnOneTableAllCommit() throws Exception {
		String event = "{\"eventId\":\"e\",\"sensorId\":\"s\",\"value\":1,\"timestamp\":\"2026-01-01T00:00:00Z\"}";
		int writers = 4;
		int commits = 8;
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		try {
			List<Future<Integer>> done = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				String partition = String.valueOf(w);
				// Each its own engine and writer, as separate instances would be.
				DeltaTableWriter writer = writer(this.storage);
				done.add(pool.submit(() -> {
					int attempts = 0;
					Optional<Long> committed = Optional.empty();
					for (long offset = 0; offset < commits; offset++) {
						CommitResult result = writer.append("millrace-bronze-p" + partition, committed, offset,
								List.<Object[]>of(row(partition, offset, event)));
						attempts += result.attempts();
						committed = Optional.of(offset);
					}
					return attempts;
				}));
			}
			int attempts = 0;
			for (Future<Integer> future : done) {
				attempts += future.get();
			}
			assertThat(attempts).isGreaterThanOrEqualTo(writers * commits);
		}
		finally {
			pool.shutdownNow();
		}
		List<Map<String, Object>> rows = reader().rows();
		assertThat(rows).hasSize(writers * commits);
		assertThat(rows.stream().map((r) -> r.get("source_partition") + "@" + r.get("source_offset")).distinct())
			.hasSize(writers * commits);
		assertThat(parquetFiles()).as("no file of a lost attempt is left").isEqualTo(writers * commits);
	}

	@Test
	void aCommitWithoutRowsRecordsThePositionOnly() {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		DeltaTableWriter writer = writer(storage);
		CommitResult result = writer.append("millrace-bronze-p2", Optional.empty(), 41, List.of());
		assertThat(result.rows()).isZero();
		assertThat(result.files()).isZero();
		assertThat(writer.committedVersion("millrace-bronze-p2")).contains(41L);
		assertThat(new KernelTableReader(this.root.resolve(BronzeTable.NAME)).rows()).isEmpty();
	}

	@Test
	void aTableOfAnotherShapeIsRefused() {
		writer(this.storage);
		Engine engine = DefaultEngine.create(this.storage.fileIO());
		DeltaTableWriter other = new DeltaTableWriter(engine, this.storage, new BronzeTable(false).definition(),
				"test");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(other::ensureTable)
			.withMessageContaining("Incompatible table schema")
			.withMessageContaining(BronzeTable.NAME);
	}

	/**
	 * The storage's file access, except that, once, another writer's commit is run just
	 * before its own first exclusive create of a log file goes to the storage.
	 */
	private static FileIO commitRace(FileIO storage, Runnable before) {
		AtomicReference<Runnable> once = new AtomicReference<>(before);
		return proxy(FileIO.class, (self, method, args) -> {
			if (!method.getName().equals("newOutputFile")) {
				return forward(storage, method, args);
			}
			OutputFile file = storage.newOutputFile((String) args[0]);
			return proxy(OutputFile.class, (outputSelf, call, values) -> {
				if (call.getName().equals("writeAtomically") && !((Boolean) values[1])
						&& file.path().matches(".*/_delta_log/\\d{20}\\.json")) {
					Runnable other = once.getAndSet(null);
					if (other != null) {
						other.run();
					}
				}
				return forward(file, call, values);
			});
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, InvocationHandler handler) {
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler);
	}

	private static Object forward(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private static JsonNode readTree(String json) {
		try {
			return new ObjectMapper().readTree(json);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
