package io.millrace.lakehouse.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.millrace.lakehouse.delta.TableDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs every table's compaction, checkpoint check and vacuum on their schedules, one at a
 * time on one thread of its own (never on a sink's thread: a compaction rewrites
 * megabytes). A failed run is logged and counted, and the next one comes at its usual
 * time. Several instances may run it at once: a compaction commits only while its files
 * are still in the table, a vacuum deletes only what no recent version references.
 */
public final class TableMaintenance implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TableMaintenance.class);

	private final MaintenanceProperties properties;

	private final List<TableCompactor> compactors;

	private final List<TableCheckpointer> checkpointers;

	private final List<TableVacuum> vacuums;

	private final MaintenanceMetrics metrics;

	private final Clock clock;

	private ScheduledExecutorService executor;

	TableMaintenance(MaintenanceProperties properties, List<TableCompactor> compactors,
			List<TableCheckpointer> checkpointers, List<TableVacuum> vacuums, MaintenanceMetrics metrics, Clock clock) {
		this.properties = properties;
		this.compactors = compactors;
		this.checkpointers = checkpointers;
		this.vacuums = vacuums;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "lakehouse-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		List<String> scheduled = new ArrayList<>();
		if (this.properties.compaction().enabled()) {
			for (TableCompactor compactor : this.compactors) {
				schedule(compactor.definition(), "compaction", this.properties.compaction().interval(),
						(table) -> this.metrics.compacted(table, compactor.compact()));
			}
			scheduled.add("compaction every " + this.properties.compaction().interval());
		}
		for (TableCheckpointer checkpointer : this.checkpointers) {
			schedule(checkpointer.definition(), "checkpoint", this.properties.checkpoint().interval(),
					(table) -> this.metrics.checked(table, checkpointer.check()));
		}
		scheduled.add("checkpoint check every " + this.properties.checkpoint().interval());
		if (this.properties.vacuum().enabled()) {
			for (TableVacuum vacuum : this.vacuums) {
				schedule(vacuum.definition(), "vacuum", this.properties.vacuum().interval(),
						(table) -> this.metrics.vacuumed(table, vacuum.vacuum(this.clock.instant())));
			}
			scheduled.add("vacuum every " + this.properties.vacuum().interval() + " (retention "
					+ this.properties.vacuum().retention() + ")");
		}
		logger.info("Table maintenance: {}", scheduled);
	}

	private void schedule(TableDefinition definition, String task, Duration interval, Consumer<String> run) {
		String table = definition.shortName();
		this.executor.scheduleWithFixedDelay(() -> {
			long started = System.nanoTime();
			try {
				run.accept(table);
				this.metrics.succeeded(table, task, System.nanoTime() - started);
			}
			catch (RuntimeException ex) {
				this.metrics.failed(table, task, System.nanoTime() - started);
				logger.warn("Table maintenance {} of {} failed; next run in {}", task, definition.name(), interval, ex);
			}
		}, this.properties.initialDelay().toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			try {
				// A compaction interrupted mid-write leaves files a vacuum removes.
				this.executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
