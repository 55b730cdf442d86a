package io.millrace.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.fs.Path;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.storage.CloseableIterators;
import io.millrace.lakehouse.storage.TableStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bin-packs a table's small files: per table partition, files below the small-file size
 * are grouped into bins of about the target size, each bin's rows are read and written
 * again as one file, and one commit per partition removes the small files and adds the
 * new ones, both with {@code dataChange=false} (readers of the table's changes, such as a
 * streaming reader, skip it: no row changed).
 * <p>
 * <b>What Kernel 4.0.1 offers.</b> Its public API generates only add actions
 * ({@code Transaction.generateAppendActions}, always {@code dataChange=true}); there is
 * no public way to remove a file. {@code Transaction.commit} does accept remove actions
 * (Kernel's own REPLACE TABLE makes them with {@code AddFile.toRemoveFileRow}), so this
 * class builds both actions with those internal helpers ({@code AddFile},
 * {@code SingleAction}) — the one place in the service that does.
 * <p>
 * <b>Concurrent writers.</b> Kernel's conflict check looks at protocol, metadata,
 * transaction ids and domain metadata, not at files: on its own it would let two
 * compactions remove the same small files and each add a copy of their rows. So, as the
 * sink's writer does, the transaction is built with no automatic retries, and in the very
 * snapshot it reads every file to remove must still be in the table; the commit can then
 * only land as the next version. A sink's append that commits first only makes the
 * compaction try again on top of it (the append's files are not touched, so no row is
 * lost), and the compaction committing first makes the sink try again the same way. If a
 * file to remove is gone, the partition is given up and the new files deleted.
 */
public final class TableCompactor {

	private static final Logger logger = LoggerFactory.getLogger(TableCompactor.class);

	private static final int MAX_ATTEMPTS = 20;

	private final Engine engine;

	private final TableStorage storage;

	private final TableDefinition definition;

	private final Settings settings;

	private final String engineInfo;

	private final Table table;

	/**
	 * @param targetFileSize bins are filled up to about this many bytes
	 * @param smallFileSize files below this many bytes are compacted
	 * @param minFiles a bin is rewritten only when it holds at least this many files
	 */
	public record Settings(long targetFileSize, long smallFileSize, int minFiles) {

		public Settings {
			if (minFiles < 2) {
				throw new IllegalArgumentException("A bin needs at least 2 files to be worth rewriting");
			}
		}

	}

	public TableCompactor(Engine engine, TableStorage storage, TableDefinition definition, Settings settings,
			String engineInfo) {
		this.engine = engine;
		this.storage = storage;
		this.definition = definition;
		this.settings = settings;
		this.engineInfo = engineInfo;
		this.table = Table.forPath(engine, storage.tablePath(definition.name()));
	}

	public TableDefinition definition() {
		return this.definition;
	}

	/**
	 * Compact every partition that has enough small files.
	 * @return what was done
	 */
	public CompactionResult compact() {
		Snapshot snapshot = this.table.getLatestSnapshot(this.engine);
		Map<Map<String, String>, List<Candidate>> byPartition = smallFiles(snapshot);
		CompactionResult total = CompactionResult.NOTHING;
		for (Map.Entry<Map<String, String>, List<Candidate>> partition : byPartition.entrySet()) {
			List<List<Candidate>> bins = bins(partition.getValue());
			if (!bins.isEmpty()) {
				total = total.plus(compactPartition(partition.getKey(), bins));
			}
		}
		return total;
	}

	/** The files below the small-file size, by partition values. */
	private Map<Map<String, String>, List<Candidate>> smallFiles(Snapshot snapshot) {
		Map<Map<String, String>, List<Candidate>> byPartition = new LinkedHashMap<>();
		forEachScanFile(snapshot, (scanFile) -> {
			FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
			if (status.getSize() >= this.settings.smallFileSize()) {
				return;
			}
			AddFile add = new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL));
			if (add.getDeletionVector().isPresent()) {
				// Never written by this service; rewriting it would need its deletion
				// vector applied.
				return;
			}
			Map<String, String> partitionValues = new TreeMap<>(InternalScanFileUtils.getPartitionValues(scanFile));
			byPartition.computeIfAbsent(partitionValues, (k) -> new ArrayList<>())
				.add(new Candidate(add.getPath(), status, add.toRemoveFileRow(false, Optional.empty())));
		});
		return byPartition;
	}

	/** First-fit by size, smallest first: bins of about the target size. */
	private List<List<Candidate>> bins(List<Candidate> files) {
		List<Candidate> sorted = new ArrayList<>(files);
		sorted.sort(Comparator.comparingLong((Candidate c) -> c.status().getSize()));
		List<List<Candidate>> bins = new ArrayList<>();
		List<Candidate> bin = new ArrayList<>();
		long size = 0;
		for (Candidate file : sorted) {
			if (!bin.isEmpty() && size + file.status().getSize() > this.settings.targetFileSize()) {
				bins.add(bin);
				bin = new ArrayList<>();
				size = 0;
			}
			bin.add(file);
			size += file.status().getSize();
		}
		bins.add(bin);
		bins.removeIf((b) -> b.size() < this.settings.minFiles());
		return bins;
	}

	private CompactionResult compactPartition(Map<String, String> partitionValues, List<List<Candidate>> bins) {
		List<DataFileStatus> written = new ArrayList<>();
		try {
			Map<String, Literal> literals = literals(partitionValues);
			List<Row> removes = new ArrayList<>();
			Set<String> toRemove = new HashSet<>();
			long bytesRemoved = 0;
			for (List<Candidate> bin : bins) {
				for (Candidate file : bin) {
					removes.add(SingleAction.createRemoveFileSingleAction(file.remove()));
					toRemove.add(file.path());
					bytesRemoved += file.status().getSize();
				}
			}
			for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				Transaction transaction = this.table
					.createTransactionBuilder(this.engine, this.engineInfo, Operation.MANUAL_UPDATE)
					.withMaxRetries(0)
					.build(this.engine);
				Snapshot read = this.table.getSnapshotAsOfVersion(this.engine, transaction.getReadTableVersion());
				if (!livePaths(read).containsAll(toRemove)) {
					logger.info("Compaction of {} partition {} given up: another writer removed its files first",
							this.definition.name(), partitionValues);
					deleteQuietly(written);
					return new CompactionResult(0, 0, 0, 0, 0, 1);
				}
				Row state = transaction.getTransactionState(this.engine);
				if (written.isEmpty()) {
					for (List<Candidate> bin : bins) {
						written.addAll(rewrite(state, bin, literals));
					}
				}
				List<Row> actions = new ArrayList<>(removes);
				actions.addAll(addActions(state, written, literals));
				try {
					TransactionCommitResult result = commit(transaction, actions, written);
					runHooks(result);
					long bytesAdded = written.stream().mapToLong(DataFileStatus::getSize).sum();
					logger.info("Compacted {} partition {}: {} files into {} (version {})", this.definition.name(),
							partitionValues, removes.size(), written.size(), result.getVersion());
					return new CompactionResult(1, removes.size(), written.size(), bytesRemoved, bytesAdded, 0);
				}
				catch (ConcurrentWriteException ex) {
					// A sink's append (or another maintenance commit) took the version:
					// check
					// the files again on top of it and commit after it.
					logger.debug("Compaction commit of {} lost a race (attempt {})", this.definition.name(), attempt);
				}
			}
			deleteQuietly(written);
			throw new IllegalStateException("Could not commit the compaction of " + this.definition.name()
					+ " partition " + partitionValues + " in " + MAX_ATTEMPTS + " attempts");
		}
		catch (IOException ex) {
			deleteQuietly(written);
			throw new UncheckedIOException("Could not compact " + this.definition.name(), ex);
		}
		catch (RuntimeException ex) {
			deleteQuietly(written);
			throw ex;
		}
	}

	/**
	 * A commit that fails otherwise than by losing the race (an I/O error writing the log
	 * file) may still have landed: its files are then kept (a vacuum removes them if it
	 * did not).
	 */
	private TransactionCommitResult commit(Transaction transaction, List<Row> actions, List<DataFileStatus> written)
			throws ConcurrentWriteException {
		try {
			return transaction.commit(this.engine,
					CloseableIterable.inMemoryIterable(CloseableIterators.of(actions.iterator())));
		}
		catch (ConcurrentWriteException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			written.clear();
			throw ex;
		}
	}

	/** One bin's rows, read from its files and written into new ones, as they are. */
	private List<DataFileStatus> rewrite(Row state, List<Candidate> bin, Map<String, Literal> literals)
			throws IOException {
		Scan scan = this.table.getLatestSnapshot(this.engine).getScanBuilder().build();
		StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(this.engine, scan.getScanState(this.engine));
		DataWriteContext context = Transaction.getWriteContext(this.engine, state, literals);
		CloseableIterator<ColumnarBatch> rows = this.engine.getParquetHandler()
			.readParquetFiles(CloseableIterators.of(bin.stream().map(Candidate::status).iterator()), physicalSchema,
					Optional.empty());
		CloseableIterator<FilteredColumnarBatch> physical = rows
			.map((batch) -> new FilteredColumnarBatch(batch, Optional.empty()));
		List<DataFileStatus> statuses = new ArrayList<>();
		try (CloseableIterator<DataFileStatus> files = this.engine.getParquetHandler()
			.writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns())) {
			files.forEachRemaining(statuses::add);
		}
		return statuses;
	}

	/**
	 * Add actions like {@code generateAppendActions}'s, but with
	 * {@code dataChange=false}.
	 */
	private List<Row> addActions(Row state, List<DataFileStatus> written, Map<String, Literal> literals) {
		URI tableRoot = new Path(TransactionStateRow.getTablePath(state)).toUri();
		StructType physicalSchema = TransactionStateRow.getPhysicalSchema(state);
		List<Row> adds = new ArrayList<>();
		for (DataFileStatus status : written) {
			AddFile add = AddFile.convertDataFileStatus(physicalSchema, tableRoot, status, literals, false, Map.of());
			adds.add(SingleAction.createAddFileSingleAction(add.toRow()));
		}
		return adds;
	}

	private Set<String> livePaths(Snapshot snapshot) {
		Set<String> paths = new HashSet<>();
		forEachScanFile(snapshot, (scanFile) -> paths
			.add(new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL)).getPath()));
		return paths;
	}

	private void forEachScanFile(Snapshot snapshot, java.util.function.Consumer<Row> action) {
		try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder()
			.build()
			.getScanFiles(this.engine)) {
			while (batches.hasNext()) {
				try (CloseableIterator<Row> rows = batches.next().getRows()) {
					rows.forEachRemaining(action);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the files of " + this.definition.name(), ex);
		}
	}

	/** Partition values as the log stores them (strings), typed as the schema says. */
	private Map<String, Literal> literals(Map<String, String> values) {
		Map<String, Literal> literals = new LinkedHashMap<>();
		for (String column : this.definition.partitionColumns()) {
			DataType type = this.definition.schema().get(column).getDataType();
			literals.put(column, literal(type, values.get(column)));
		}
		return literals;
	}

	private static Literal literal(DataType type, String value) {
		if (value == null) {
			return Literal.ofNull(type);
		}
		if (type instanceof DateType) {
			return Literal.ofDate((int) LocalDate.parse(value).toEpochDay());
		}
		if (type instanceof IntegerType) {
			return Literal.ofInt(Integer.parseInt(value));
		}
		if (type instanceof LongType) {
			return Literal.ofLong(Long.parseLong(value));
		}
		if (type instanceof StringType) {
			return Literal.ofString(value);
		}
		throw new IllegalArgumentException("Unsupported partition column type " + type);
	}

	private void runHooks(TransactionCommitResult result) {
		for (PostCommitHook hook : result.getPostCommitHooks()) {
			try {
				hook.threadSafeInvoke(this.engine);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Post-commit hook {} of {} version {} failed; the table is committed", hook.getType(),
						this.definition.name(), result.getVersion(), ex);
			}
		}
	}

	private void deleteQuietly(List<DataFileStatus> written) {
		for (DataFileStatus status : written) {
			try {
				this.storage.fileIO().delete(status.getPath());
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not delete {} (not in the table; a vacuum removes it)", status.getPath(), ex);
			}
		}
		written.clear();
	}

	/** A small file: its path as the log has it, its status, and its remove action. */
	private record Candidate(String path, FileStatus status, Row remove) {
	}

}
