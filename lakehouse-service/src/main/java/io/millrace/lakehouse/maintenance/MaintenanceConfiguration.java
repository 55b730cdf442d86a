package io.millrace.lakehouse.maintenance;

import java.time.Clock;
import java.util.List;

import io.delta.kernel.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.storage.TableStorage;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Maintenance of every table a writer of this service writes (the list of
 * {@link DeltaTableWriter} beans: a new table is maintained as soon as it has a writer).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "millrace.lakehouse.maintenance.enabled", matchIfMissing = true)
class MaintenanceConfiguration {

	static final String ENGINE_INFO = "millrace-lakehouse-maintenance";

	@Bean
	TableMaintenance tableMaintenance(MaintenanceProperties properties, Engine engine, TableStorage storage,
			List<DeltaTableWriter> writers, MeterRegistry registry) {
		MaintenanceProperties.Compaction compaction = properties.compaction();
		TableCompactor.Settings settings = new TableCompactor.Settings(compaction.targetFileSize().toBytes(),
				compaction.smallFileSize().toBytes(), compaction.minFiles());
		List<TableDefinition> tables = writers.stream().map(DeltaTableWriter::definition).toList();
		MaintenanceMetrics metrics = new MaintenanceMetrics(registry);
		tables.forEach((table) -> metrics.register(table.shortName()));
		return new TableMaintenance(properties,
				tables.stream()
					.map((table) -> new TableCompactor(engine, storage, table, settings, ENGINE_INFO))
					.toList(),
				tables.stream()
					.map((table) -> new TableCheckpointer(engine, storage, table,
							properties.checkpoint().maxVersionsBehind()))
					.toList(),
				tables.stream()
					.map((table) -> new TableVacuum(engine, storage, table, properties.vacuum().retention()))
					.toList(),
				metrics, Clock.systemUTC());
	}

}
