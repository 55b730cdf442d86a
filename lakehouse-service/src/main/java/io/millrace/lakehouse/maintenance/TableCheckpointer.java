package io.millrace.lakehouse.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.internal.SnapshotImpl;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.storage.TableStorage;

/**
 * Makes sure a table's log has a recent checkpoint. The writers run the checkpoint hooks
 * Kernel hands back with a commit (every {@code delta.checkpointInterval}, 10, commits),
 * but a hook that fails is only logged and Kernel asks again only 10 commits later; a
 * reader meanwhile replays every JSON commit since the last checkpoint. This check runs
 * on a schedule and writes the checkpoint itself when the latest one is more than the
 * allowed number of versions behind.
 */
public final class TableCheckpointer {

	private final Engine engine;

	private final TableDefinition definition;

	private final Table table;

	private final long maxVersionsBehind;

	/**
	 * @param maxVersionsBehind a checkpoint is written when the latest is more than this
	 * many versions behind the table's version
	 */
	public TableCheckpointer(Engine engine, TableStorage storage, TableDefinition definition, long maxVersionsBehind) {
		this.engine = engine;
		this.definition = definition;
		this.maxVersionsBehind = maxVersionsBehind;
		this.table = Table.forPath(engine, storage.tablePath(definition.name()));
	}

	public TableDefinition definition() {
		return this.definition;
	}

	/**
	 * @return the table's state as to checkpoints, after writing one if it was due
	 */
	public CheckpointState check() {
		Snapshot snapshot = this.table.getLatestSnapshot(this.engine);
		long version = snapshot.getVersion();
		Optional<Long> last = lastCheckpoint(snapshot);
		long behind = version - last.orElse(-1L);
		if (behind <= this.maxVersionsBehind || version == 0) {
			return new CheckpointState(version, last, false);
		}
		try {
			this.table.checkpoint(this.engine, version);
			return new CheckpointState(version, Optional.of(version), true);
		}
		catch (CheckpointAlreadyExistsException ex) {
			// A writer's hook or another instance wrote it meanwhile.
			return new CheckpointState(version, Optional.of(version), false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write a checkpoint of " + this.definition.name(), ex);
		}
	}

	/**
	 * The checkpoint the snapshot was loaded from: Kernel keeps it on the log segment of
	 * its snapshot implementation (not public API).
	 */
	private static Optional<Long> lastCheckpoint(Snapshot snapshot) {
		return ((SnapshotImpl) snapshot).getLogSegment().getCheckpointVersionOpt();
	}

	/**
	 * @param version the table's version
	 * @param checkpointVersion the latest checkpoint's version, empty when none
	 * @param written whether this check wrote it
	 */
	public record CheckpointState(long version, Optional<Long> checkpointVersion, boolean written) {

		public long versionsSinceCheckpoint() {
			return this.version - this.checkpointVersion.orElse(-1L);
		}

	}

}
