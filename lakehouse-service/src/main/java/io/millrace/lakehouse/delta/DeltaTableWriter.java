package io.millrace.lakehouse.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.TransactionImpl;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.millrace.lakehouse.storage.CloseableIterators;
import io.millrace.lakehouse.storage.TableStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends rows to one Delta table with Kernel, each commit tied to the source partition
 * and offset it covers: a transaction id ({@code SetTransaction}) with the partition's
 * application id and, as version, the last offset the commit covers. The Delta log is
 * then the sink's checkpoint: a restarted writer reads the version back
 * ({@link #committedVersion}) and resumes after it.
 * <p>
 * Kernel refuses a transaction id at or below the committed one, but not a concurrent
 * writer that committed a lower one for the same partition (a zombie that still holds
 * records the new owner committed part of). So every commit is conditional on the
 * partition's committed version being exactly the one this writer expects: the
 * transaction is built with no automatic conflict retries, the id is checked in the very
 * snapshot the transaction reads, and the commit can only land as the next version after
 * it. Another writer's commit in between makes the attempt fail; it is then rebuilt on
 * the new snapshot (the data files are kept and their actions made again), or, when that
 * writer committed this partition, given up: the files are deleted (Kernel leaves a
 * losing writer's Parquet files behind) and {@link FencedException} thrown with the
 * partition's committed version, from which the caller goes on. Commits of one partition
 * therefore form one unbroken chain of offset ranges, whoever writes them.
 * <p>
 * Kernel returns checkpoints and checksums as post-commit hooks for the caller to run;
 * they are run here, right after the commit, so the log never grows without a checkpoint.
 */
public final class DeltaTableWriter implements PartitionAppender {

	private static final Logger logger = LoggerFactory.getLogger(DeltaTableWriter.class);

	/** Attempts at one commit while other writers keep committing first. */
	private static final int MAX_ATTEMPTS = 50;

	/** Kernel's snapshot field of a transaction, null when this Kernel has none. */
	private static final Field READ_SNAPSHOT = readSnapshotField();

	private final Engine engine;

	private final TableStorage storage;

	private final TableDefinition definition;

	private final Table table;

	private final String engineInfo;

	/**
	 * @param engine the Kernel engine on the storage's file access
	 * @param storage where the table lives
	 * @param definition the table
	 * @param engineInfo what the commit info names as writer
	 */
	public DeltaTableWriter(Engine engine, TableStorage storage, TableDefinition definition, String engineInfo) {
		this.engine = engine;
		this.storage = storage;
		this.definition = definition;
		this.engineInfo = engineInfo;
		this.table = Table.forPath(engine, storage.tablePath(definition.name()));
	}

	@Override
	public TableDefinition definition() {
		return this.definition;
	}

	/**
	 * @return the table's location
	 */
	public String path() {
		return this.table.getPath(this.engine);
	}

	/**
	 * Creates the table if it does not exist, with its schema version as a table
	 * property. An existing table is checked against the definition
	 * ({@link SchemaCompatibility}): the same schema is written as it is, new nullable
	 * columns of a higher schema version are added to it (a metadata commit), anything
	 * else is refused (silently writing another shape would break every reader).
	 * @return the table's version
	 */
	public long ensureTable() {
		for (int attempt = 1;; attempt++) {
			try {
				Snapshot snapshot = this.table.getLatestSnapshot(this.engine);
				if (evolve(snapshot)) {
					continue;
				}
				return snapshot.getVersion();
			}
			catch (TableNotFoundException ex) {
				try {
					Transaction create = this.table
						.createTransactionBuilder(this.engine, this.engineInfo, Operation.CREATE_TABLE)
						.withSchema(this.engine, this.definition.schema())
						.withPartitionColumns(this.engine, this.definition.partitionColumns())
						.withTableProperties(this.engine,
								Map.of(TableDefinition.SCHEMA_VERSION_PROPERTY,
										String.valueOf(this.definition.schemaVersion())))
						.build(this.engine);
					TransactionCommitResult result = create.commit(this.engine, CloseableIterable.emptyIterable());
					runHooks(result);
					logger.info("Created table {} (schema version {}) at {}", this.definition.name(),
							this.definition.schemaVersion(), path());
					return result.getVersion();
				}
				catch (TableAlreadyExistsException | ConcurrentWriteException race) {
					// Another instance created it first: read it again.
					if (attempt >= 3) {
						throw race;
					}
				}
			}
			catch (FileAlreadyExistsException race) {
				// Another instance evolved it first: read it again.
				if (attempt >= 3) {
					throw new IllegalStateException("Could not evolve " + this.definition.name(), race);
				}
			}
		}
	}

	/**
	 * @return whether a metadata commit was made (the snapshot is then stale)
	 */
	private boolean evolve(Snapshot snapshot) throws FileAlreadyExistsException {
		SnapshotImpl impl = (SnapshotImpl) snapshot;
		int storedVersion = schemaVersion(snapshot);
		List<StructField> added = SchemaCompatibility.columnsToAdd(this.definition, snapshot.getSchema(),
				snapshot.getPartitionColumnNames(), storedVersion);
		if (added.isEmpty() && storedVersion == this.definition.schemaVersion()) {
			return false;
		}
		// Kernel 4.0.1 refuses a new schema for an existing table without column mapping
		// (a newer protocol than every reader supports), so the metadata action is
		// committed here, the way Kernel commits: the next log file, created exclusively.
		Metadata metadata = impl.getMetadata()
			.withNewSchema(this.definition.schema())
			.withMergedConfiguration(
					Map.of(TableDefinition.SCHEMA_VERSION_PROPERTY, String.valueOf(this.definition.schemaVersion())));
		String file = FileNames.deltaFile(impl.getLogPath(), snapshot.getVersion() + 1);
		try {
			this.engine.getJsonHandler()
				.writeJsonFileAtomically(file, CloseableIterators
					.of(List.of(SingleAction.createMetadataSingleAction(metadata.toRow())).iterator()), false);
		}
		catch (FileAlreadyExistsException race) {
			throw race;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not evolve the schema of " + this.definition.name(), ex);
		}
		logger.info("Table {} evolved from schema version {} to {}: added {}", this.definition.name(), storedVersion,
				this.definition.schemaVersion(), added.stream().map(StructField::getName).toList());
		return true;
	}

	/**
	 * @param snapshot a snapshot of a table of this service
	 * @return its schema version; 1 when it has none (written before versions were)
	 */
	public static int schemaVersion(Snapshot snapshot) {
		String stored = ((SnapshotImpl) snapshot).getMetadata()
			.getConfiguration()
			.get(TableDefinition.SCHEMA_VERSION_PROPERTY);
		return (stored != null) ? Integer.parseInt(stored) : 1;
	}

	/**
	 * @param appId a source partition's application id
	 * @return the last offset committed for it, empty if none
	 */
	@Override
	public Optional<Long> committedVersion(String appId) {
		return transactionVersion(this.table.getLatestSnapshot(this.engine), appId);
	}

	/**
	 * Kernel keeps its reader of transaction ids on the snapshot implementation (it is
	 * not public API yet; Flink's connector uses it the same way). This is the one place
	 * that reaches it.
	 */
	private Optional<Long> transactionVersion(Snapshot snapshot, String appId) {
		return ((SnapshotImpl) snapshot).getLatestTransactionVersion(this.engine, appId);
	}

	/**
	 * Append rows covering a source partition's records up to {@code version}.
	 * @param appId the source partition's application id
	 * @param expected the version committed before, as this writer last saw it (empty
	 * when none was)
	 * @param version the last offset the rows cover
	 * @param rows the rows, each with every column of the schema (partition columns too);
	 * may be empty, to record the position only
	 * @return what was committed
	 * @throws FencedException when another writer committed the partition meanwhile
	 */
	@Override
	public CommitResult append(String appId, Optional<Long> expected, long version, List<Object[]> rows) {
		Map<List<Object>, List<Object[]>> byPartition = groupByPartition(rows);
		List<WrittenFiles> written = null;
		try {
			for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				Transaction transaction;
				try {
					transaction = this.table
						.createTransactionBuilder(this.engine, this.engineInfo, Operation.STREAMING_UPDATE)
						.withTransactionId(this.engine, appId, version)
						// Only the version right after the snapshot checked below may be
						// taken.
						.withMaxRetries(0)
						.build(this.engine);
				}
				catch (ConcurrentTransactionException ex) {
					// Kernel's own check: the table holds this version, or a later one.
					throw fenced(appId, expected, committedVersion(appId), version);
				}
				Snapshot read = readSnapshot(transaction);
				Optional<Long> committed = transactionVersion(read, appId);
				if (!committed.equals(expected)) {
					throw fenced(appId, expected, committed, version);
				}
				Row state = transaction.getTransactionState(this.engine);
				if (written == null) {
					written = write(state, byPartition);
				}
				List<Row> actions = new ArrayList<>();
				for (WrittenFiles files : written) {
					DataWriteContext context = Transaction.getWriteContext(this.engine, state, files.partitionValues());
					try (CloseableIterator<Row> adds = Transaction.generateAppendActions(this.engine, state,
							CloseableIterators.of(files.statuses().iterator()), context)) {
						adds.forEachRemaining(actions::add);
					}
				}
				try {
					TransactionCommitResult result = transaction.commit(this.engine,
							CloseableIterable.inMemoryIterable(CloseableIterators.of(actions.iterator())));
					int hooks = runHooks(result);
					long bytes = written.stream().mapToLong(WrittenFiles::bytes).sum();
					int files = written.stream().mapToInt((w) -> w.statuses().size()).sum();
					CommitResult outcome = new CommitResult(result.getVersion(), rows.size(), files, bytes, attempt,
							hooks);
					written = null;
					return outcome;
				}
				catch (ConcurrentTransactionException ex) {
					throw fenced(appId, expected, committedVersion(appId), version);
				}
				catch (ConcurrentWriteException ex) {
					// Another writer took the next version; try again on top of it.
					logger.debug("Commit of {} to {} lost a race (attempt {}); retrying", appId, this.definition.name(),
							attempt);
				}
			}
			// Every attempt lost its race: nothing references these files.
			deleteQuietly(written);
			throw new IllegalStateException("Could not commit " + appId + " to " + this.definition.name() + " in "
					+ MAX_ATTEMPTS + " attempts: other writers kept committing first");
		}
		catch (FencedException ex) {
			// The commit did not happen: nothing references these files. (Any other
			// failure
			// keeps them: a commit whose log write failed may still have landed, and the
			// next attempt finds the partition moved and goes on after it.)
			deleteQuietly(written);
			throw ex;
		}
		catch (IOException ex) {
			deleteQuietly(written);
			throw new UncheckedIOException("Could not write to " + this.definition.name(), ex);
		}
	}

	/**
	 * The snapshot the transaction was built on: Kernel keeps it on the transaction
	 * implementation without a public getter. Loading that version again (the public way)
	 * lists and replays the log a second time per commit; this is the one place that
	 * reads the field, and it falls back to loading the version.
	 */
	private Snapshot readSnapshot(Transaction transaction) {
		if (READ_SNAPSHOT != null && transaction instanceof TransactionImpl) {
			try {
				return (Snapshot) READ_SNAPSHOT.get(transaction);
			}
			catch (IllegalAccessException | RuntimeException ex) {
				logger.debug("Kernel's read snapshot is not readable; loading the version", ex);
			}
		}
		return this.table.getSnapshotAsOfVersion(this.engine, transaction.getReadTableVersion());
	}

	private static Field readSnapshotField() {
		try {
			Field field = TransactionImpl.class.getDeclaredField("readSnapshot");
			field.setAccessible(true);
			return field;
		}
		catch (NoSuchFieldException | RuntimeException ex) {
			return null;
		}
	}

	private FencedException fenced(String appId, Optional<Long> expected, Optional<Long> committed, long version) {
		return new FencedException(appId, committed,
				"Table " + this.definition.name() + ": " + appId + " is at "
						+ committed.map(String::valueOf).orElse("?") + " where this writer expected "
						+ expected.map(String::valueOf).orElse("nothing") + " (committing up to " + version
						+ "); another writer owns the partition");
	}

	private Map<List<Object>, List<Object[]>> groupByPartition(List<Object[]> rows) {
		List<Integer> ordinals = this.definition.partitionColumns()
			.stream()
			.map((column) -> this.definition.schema().indexOf(column))
			.toList();
		Map<List<Object>, List<Object[]>> groups = new LinkedHashMap<>();
		for (Object[] row : rows) {
			List<Object> key = new ArrayList<>(ordinals.size());
			for (int ordinal : ordinals) {
				key.add(row[ordinal]);
			}
			groups.computeIfAbsent(key, (k) -> new ArrayList<>()).add(row);
		}
		return groups;
	}

	/** One Parquet write per table partition, with the statistics Kernel asks for. */
	private List<WrittenFiles> write(Row state, Map<List<Object>, List<Object[]>> byPartition) throws IOException {
		List<WrittenFiles> written = new ArrayList<>();
		try {
			for (Map.Entry<List<Object>, List<Object[]>> group : byPartition.entrySet()) {
				Map<String, Literal> partitionValues = literals(group.getKey());
				DataWriteContext context = Transaction.getWriteContext(this.engine, state, partitionValues);
				CloseableIterator<FilteredColumnarBatch> logical = CloseableIterators
					.of(List.of(new FilteredColumnarBatch(new RowBatch(this.definition.schema(), group.getValue()),
							Optional.empty()))
						.iterator());
				CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(this.engine, state,
						logical, partitionValues);
				List<DataFileStatus> statuses = new ArrayList<>();
				try (CloseableIterator<DataFileStatus> files = this.engine.getParquetHandler()
					.writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns())) {
					files.forEachRemaining(statuses::add);
				}
				written.add(new WrittenFiles(partitionValues, statuses));
			}
			return written;
		}
		catch (IOException | RuntimeException ex) {
			deleteQuietly(written);
			throw ex;
		}
	}

	private Map<String, Literal> literals(List<Object> values) {
		Map<String, Literal> literals = new LinkedHashMap<>();
		List<String> columns = this.definition.partitionColumns();
		for (int i = 0; i < columns.size(); i++) {
			DataType type = this.definition.schema().get(columns.get(i)).getDataType();
			literals.put(columns.get(i), literal(type, values.get(i)));
		}
		return literals;
	}

	private static Literal literal(DataType type, Object value) {
		if (value == null) {
			return Literal.ofNull(type);
		}
		if (type instanceof DateType) {
			return Literal.ofDate((Integer) value);
		}
		if (type instanceof IntegerType) {
			return Literal.ofInt((Integer) value);
		}
		if (type instanceof LongType) {
			return Literal.ofLong((Long) value);
		}
		if (type instanceof StringType) {
			return Literal.ofString((String) value);
		}
		throw new IllegalArgumentException("Unsupported partition column type " + type);
	}

	/**
	 * Run what Kernel hands back: a checkpoint every {@code delta.checkpointInterval}
	 * commits (10 by default), checksum files. A failed hook does not undo the commit;
	 * the next one's checkpoint covers it.
	 */
	private int runHooks(TransactionCommitResult result) {
		int run = 0;
		for (PostCommitHook hook : result.getPostCommitHooks()) {
			try {
				hook.threadSafeInvoke(this.engine);
				run++;
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Post-commit hook {} of {} version {} failed; the table is committed", hook.getType(),
						this.definition.name(), result.getVersion(), ex);
			}
		}
		return run;
	}

	private void deleteQuietly(List<WrittenFiles> written) {
		if (written == null) {
			return;
		}
		for (WrittenFiles files : written) {
			for (DataFileStatus status : files.statuses()) {
				try {
					this.storage.fileIO().delete(status.getPath());
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Could not delete {} (not in the table; a vacuum removes it)", status.getPath(), ex);
				}
			}
		}
	}

	/** Data files written for one table partition, kept across commit attempts. */
	private record WrittenFiles(Map<String, Literal> partitionValues, List<DataFileStatus> statuses) {

		long bytes() {
			return this.statuses.stream().mapToLong(DataFileStatus::getSize).sum();
		}

	}

}
