package io.millrace.lakehouse.maintenance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.millrace.transport.CounterFamily;

/**
 * {@code millrace_lakehouse_maintenance_*}, {@code _compaction_*}, {@code _checkpoint_*}
 * and {@code _vacuum_*}, tagged {@code table} (and {@code task}: {@code compaction},
 * {@code checkpoint}, {@code vacuum}). Counters exist at 0 from the start.
 */
final class MaintenanceMetrics {

	static final String[] TASKS = { "compaction", "checkpoint", "vacuum" };

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> versionsSinceCheckpoint = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> youngUnreferenced = new ConcurrentHashMap<>();

	private final CounterFamily compactionFilesRemoved;

	private final CounterFamily compactionFilesAdded;

	private final CounterFamily compactionBytesRemoved;

	private final CounterFamily compactionConflicts;

	private final CounterFamily checkpointsWritten;

	private final CounterFamily vacuumFilesDeleted;

	private final CounterFamily vacuumBytesDeleted;

	MaintenanceMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.compactionFilesRemoved = new CounterFamily(registry, "millrace.lakehouse.compaction.files.removed",
				"Small files a compaction took out of the table (dataChange=false)", "table");
		this.compactionFilesAdded = new CounterFamily(registry, "millrace.lakehouse.compaction.files.added",
				"Files a compaction wrote in place of the small ones", "table");
		this.compactionBytesRemoved = new CounterFamily(registry, "millrace.lakehouse.compaction.removed",
				"Bytes of small files a compaction rewrote", "table")
			.withBaseUnit("bytes");
		this.compactionConflicts = new CounterFamily(registry, "millrace.lakehouse.compaction.conflicts",
				"Partitions a compaction gave up because another writer removed their files first", "table");
		this.checkpointsWritten = new CounterFamily(registry, "millrace.lakehouse.checkpoints.written",
				"Checkpoints the scheduled check wrote (the writers' own hooks count in post_commit_hooks)", "table");
		this.vacuumFilesDeleted = new CounterFamily(registry, "millrace.lakehouse.vacuum.files.deleted",
				"Unreferenced files older than the retention that a vacuum deleted", "table");
		this.vacuumBytesDeleted = new CounterFamily(registry, "millrace.lakehouse.vacuum.deleted",
				"Bytes of the files a vacuum deleted", "table")
			.withBaseUnit("bytes");
	}

	/** Registers a table's meters, at 0. */
	void register(String table) {
		for (String task : TASKS) {
			run(table, task, "success").increment(0);
			run(table, task, "failure").increment(0);
			timer(table, task);
			AtomicLong last = this.lastSuccess.computeIfAbsent(key(table, task), (k) -> new AtomicLong());
			Gauge.builder("millrace.lakehouse.maintenance.last.success", last, (l) -> l.get() / 1000.0)
				.description("When the task last succeeded on the table (Unix time; 0 before the first)")
				.baseUnit("seconds")
				.tags("table", table, "task", task)
				.register(this.registry);
		}
		for (CounterFamily counter : new CounterFamily[] { this.compactionFilesRemoved, this.compactionFilesAdded,
				this.compactionConflicts, this.compactionBytesRemoved, this.checkpointsWritten, this.vacuumFilesDeleted,
				this.vacuumBytesDeleted }) {
			counter.registerAtZero(table);
		}
		Gauge
			.builder("millrace.lakehouse.checkpoint.versions.behind",
					this.versionsSinceCheckpoint.computeIfAbsent(table, (k) -> new AtomicLong()), AtomicLong::get)
			.description("Versions of the table since its latest checkpoint, as last checked")
			.tag("table", table)
			.register(this.registry);
		Gauge
			.builder("millrace.lakehouse.vacuum.young.unreferenced.files",
					this.youngUnreferenced.computeIfAbsent(table, (k) -> new AtomicLong()), AtomicLong::get)
			.description("Unreferenced files the last vacuum kept because they are younger than the retention")
			.tag("table", table)
			.register(this.registry);
	}

	void succeeded(String table, String task, long nanos) {
		run(table, task, "success").increment();
		timer(table, task).record(nanos, TimeUnit.NANOSECONDS);
		this.lastSuccess.get(key(table, task)).set(System.currentTimeMillis());
	}

	void failed(String table, String task, long nanos) {
		run(table, task, "failure").increment();
		timer(table, task).record(nanos, TimeUnit.NANOSECONDS);
	}

	void compacted(String table, CompactionResult result) {
		this.compactionFilesRemoved.of(table).increment(result.filesRemoved());
		this.compactionFilesAdded.of(table).increment(result.filesAdded());
		this.compactionBytesRemoved.of(table).increment(result.bytesRemoved());
		this.compactionConflicts.of(table).increment(result.conflicts());
	}

	void checked(String table, TableCheckpointer.CheckpointState state) {
		if (state.written()) {
			this.checkpointsWritten.of(table).increment();
		}
		this.versionsSinceCheckpoint.get(table).set(state.versionsSinceCheckpoint());
	}

	void vacuumed(String table, VacuumResult result) {
		this.vacuumFilesDeleted.of(table).increment(result.filesDeleted());
		this.vacuumBytesDeleted.of(table).increment(result.bytesDeleted());
		this.youngUnreferenced.get(table).set(result.youngUnreferenced());
	}

	private Counter run(String table, String task, String outcome) {
		return Counter.builder("millrace.lakehouse.maintenance.runs")
			.description("Maintenance runs by table, task and outcome")
			.tags("table", table, "task", task, "outcome", outcome)
			.register(this.registry);
	}

	private Timer timer(String table, String task) {
		return Timer.builder("millrace.lakehouse.maintenance")
			.description("Time a maintenance task took on the table")
			.tags("table", table, "task", task)
			.register(this.registry);
	}

	private static String key(String table, String task) {
		return table + "/" + task;
	}

}
