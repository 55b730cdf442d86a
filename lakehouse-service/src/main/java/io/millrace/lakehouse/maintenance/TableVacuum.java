package io.millrace.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.TableImpl;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.storage.TableStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files in a table's directory that no version within the retention
 * references and that are older than the retention: the Parquet files of a writer that
 * lost a race or crashed before its commit, and the small files a compaction replaced
 * once the retention has passed.
 * <p>
 * <b>What is kept.</b> Every file the current snapshot references; every file the
 * snapshot as of the retention's start references (a reader may travel back that far);
 * every file an add or remove action names in a commit after that snapshot (so every
 * version within the retention is readable); every file younger than the retention (a
 * commit may be writing it right now); and everything under a directory or file whose
 * name starts with {@code _} ({@code _delta_log} above all) — never touched. A Hadoop
 * checksum file ({@code .name.crc}) goes with its data file.
 * <p>
 * The retention must be longer than any commit takes (a writer's files are unreferenced
 * until its commit lands) and than any reader's time travel; 7 days by default, as
 * Delta's own {@code VACUUM}.
 */
public final class TableVacuum {

	private static final Logger logger = LoggerFactory.getLogger(TableVacuum.class);

	private final Engine engine;

	private final TableStorage storage;

	private final TableDefinition definition;

	private final Duration retention;

	private final Table table;

	private final String tablePath;

	public TableVacuum(Engine engine, TableStorage storage, TableDefinition definition, Duration retention) {
		this.engine = engine;
		this.storage = storage;
		this.definition = definition;
		this.retention = retention;
		this.tablePath = storage.tablePath(definition.name());
		this.table = Table.forPath(engine, this.tablePath);
	}

	public TableDefinition definition() {
		return this.definition;
	}

	/**
	 * @param now the time the retention counts back from
	 * @return what was deleted and kept
	 */
	public VacuumResult vacuum(Instant now) {
		long cutoff = now.minus(this.retention).toEpochMilli();
		TablePaths paths = new TablePaths(this.tablePath);
		Set<String> referenced = referenced(cutoff, paths);
		List<FileStatus> files;
		try {
			files = this.storage.listTree(this.tablePath);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + this.tablePath, ex);
		}
		int deleted = 0;
		int young = 0;
		int failures = 0;
		long bytes = 0;
		for (FileStatus file : files) {
			String relative = paths.ofListed(file.getPath());
			if (relative == null || hidden(relative) || referenced.contains(owner(relative))) {
				continue;
			}
			if (file.getModificationTime() >= cutoff) {
				young++;
				continue;
			}
			try {
				if (this.storage.fileIO().delete(file.getPath())) {
					deleted++;
					bytes += file.getSize();
				}
			}
			catch (IOException | RuntimeException ex) {
				failures++;
				logger.warn("Vacuum of {} could not delete {}; tried again next time", this.definition.name(),
						file.getPath(), ex);
			}
		}
		if (deleted > 0) {
			logger.info("Vacuum of {} deleted {} unreferenced files ({} bytes) older than {}", this.definition.name(),
					deleted, bytes, this.retention);
		}
		return new VacuumResult(deleted, bytes, young, failures);
	}

	/** Files of every version within the retention, relative to the table root. */
	private Set<String> referenced(long cutoff, TablePaths paths) {
		Snapshot latest = this.table.getLatestSnapshot(this.engine);
		Set<String> referenced = new HashSet<>();
		addLive(latest, referenced, paths);
		if (latest.getTimestamp(this.engine) <= cutoff) {
			// No commit within the retention: the current version is the only one to
			// keep.
			return referenced;
		}
		long from;
		try {
			Snapshot atCutoff = this.table.getSnapshotAsOfTimestamp(this.engine, cutoff);
			addLive(atCutoff, referenced, paths);
			from = atCutoff.getVersion() + 1;
		}
		catch (KernelException ex) {
			// The cutoff is before the table's first commit: every version is within it.
			from = 0;
		}
		if (from <= latest.getVersion()) {
			addChanged(from, latest.getVersion(), referenced, paths);
		}
		return referenced;
	}

	private void addLive(Snapshot snapshot, Set<String> referenced, TablePaths paths) {
		try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder()
			.build()
			.getScanFiles(this.engine)) {
			while (batches.hasNext()) {
				try (CloseableIterator<Row> rows = batches.next().getRows()) {
					while (rows.hasNext()) {
						Row add = rows.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
						referenced.add(paths.ofLogged(new AddFile(add).getPath()));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the files of " + this.definition.name(), ex);
		}
	}

	/**
	 * The paths every add and remove action of the commits names. Kernel reads commit
	 * ranges with {@code TableImpl.getChanges} (not public API yet, as the snapshot's
	 * transaction ids).
	 */
	private void addChanged(long from, long to, Set<String> referenced, TablePaths paths) {
		try (CloseableIterator<ColumnarBatch> changes = ((TableImpl) this.table).getChanges(this.engine, from, to,
				Set.of(DeltaAction.ADD, DeltaAction.REMOVE))) {
			while (changes.hasNext()) {
				ColumnarBatch batch = changes.next();
				for (DeltaAction action : new DeltaAction[] { DeltaAction.ADD, DeltaAction.REMOVE }) {
					ColumnVector actions = batch.getColumnVector(batch.getSchema().indexOf(action.colName));
					ColumnVector path = actions.getChild(action.schema.indexOf("path"));
					for (int row = 0; row < batch.getSize(); row++) {
						if (!actions.isNullAt(row) && !path.isNullAt(row)) {
							referenced.add(paths.ofLogged(path.getString(row)));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the commits of " + this.definition.name(), ex);
		}
	}

	/** Delta's rule: names starting with {@code _} are not data ({@code _delta_log}). */
	private static boolean hidden(String relative) {
		for (String segment : relative.split("/")) {
			if (segment.startsWith("_")) {
				return true;
			}
		}
		return false;
	}

	/** The data file a Hadoop checksum file belongs to; any other file is its own. */
	static String owner(String relative) {
		int slash = relative.lastIndexOf('/');
		String name = relative.substring(slash + 1);
		if (name.startsWith(".") && name.endsWith(".crc")) {
			return relative.substring(0, slash + 1) + name.substring(1, name.length() - ".crc".length());
		}
		return relative;
	}

}
