package io.millrace.lakehouse.pipeline;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.delta.kernel.engine.Engine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.LakehouseProperties;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.gold.HourlyMetricsTable;
import io.millrace.lakehouse.gold.HourlyRollup;
import io.millrace.lakehouse.sink.DeltaSinkTask;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.model.aggregate.WindowAggregate;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hourly Gold roll-up: {@code gold/hourly_metrics} from
 * {@code gold/window_aggregates}, on a timer, for the partitions whose Gold input this
 * instance owns.
 */
@Configuration(proxyBeanMethods = false)
class HourlyRollupConfiguration {

	private static final String ENGINE_INFO = "millrace-lakehouse";

	@Bean
	DeltaTableWriter hourlyMetricsWriter(Engine engine, TableStorage storage) {
		return new DeltaTableWriter(engine, storage, HourlyMetricsTable.definition(), ENGINE_INFO);
	}

	@Bean
	HourlyRollup hourlyRollup(LakehouseProperties properties, Engine engine, TableStorage storage,
			DeltaTableWriter hourlyMetricsWriter, DeltaSinkTask<WindowAggregate> goldTask, MeterRegistry registry) {
		Counter rows = Counter.builder("millrace.lakehouse.rows.written")
			.description("Rows committed to the table")
			.tag("table", HourlyMetricsTable.definition().shortName())
			.register(registry);
		Counter failures = Counter.builder("millrace.lakehouse.hourly.failures")
			.description("Hourly roll-up runs of a partition that failed (retried on the next run)")
			.register(registry);
		LakehouseProperties.Hourly hourly = properties.hourly();
		return new HourlyRollup(hourlyMetricsWriter,
				new DeltaTableReader(engine, storage, new GoldTable().definition()),
				() -> goldTask.committedOffsets().keySet(), hourly.appIdPrefix(), hourly.windowSize(), hourly.grace(),
				Clock.systemUTC(), new HourlyRollup.Listener() {

					@Override
					public void committed(long written) {
						rows.increment(written);
					}

					@Override
					public void failed() {
						failures.increment();
					}

				});
	}

	@Bean
	SmartLifecycle hourlyRollupTimer(HourlyRollup rollup, LakehouseProperties properties, LakehouseTables tables) {
		return new SmartLifecycle() {

			private ScheduledExecutorService timer;

			@Override
			public synchronized void start() {
				tables.ensureCreated();
				this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
					Thread thread = new Thread(task, "lakehouse-hourly-rollup");
					thread.setDaemon(true);
					return thread;
				});
				long every = properties.hourly().interval().toMillis();
				this.timer.scheduleWithFixedDelay(rollup::run, every, every, TimeUnit.MILLISECONDS);
			}

			@Override
			public synchronized void stop() {
				if (this.timer != null) {
					this.timer.shutdownNow();
					this.timer = null;
				}
			}

			@Override
			public synchronized boolean isRunning() {
				return this.timer != null;
			}

		};
	}

}
