package io.millrace.lakehouse.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.LakehouseProperties;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.sink.DeltaSinkTask;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.lakehouse.storage.azure.AzureBlobTableStorage;
import io.millrace.lakehouse.storage.azure.AzureTableStorageProperties;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;
import io.millrace.transport.storage.StorageProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Wires each table as a sink task of the streaming runtime, fed by its consumer function
 * ({@code writeBronze}, {@code writeGold}; binder and destinations come from
 * configuration). The runtime's wiring ticks the tasks, hands partitions over (each
 * assigned partition resumes after the offset its table holds) and reports them in the
 * {@code streaming} health component.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class LakehousePipelineConfiguration {

	static final String BRONZE_BINDING = "writeBronze-in-0";

	static final String GOLD_BINDING = "writeGold-in-0";

	private static final String ENGINE_INFO = "millrace-lakehouse";

	/**
	 * Where the tables live, following {@code millrace.storage.type}: the local directory
	 * {@code millrace.lakehouse.root}, or the Azure Blob container of
	 * {@code millrace.storage.azure} under {@code millrace.lakehouse.azure.prefix}. A
	 * {@link TableStorage} bean of its own replaces both.
	 */
	@Bean
	@ConditionalOnMissingBean
	TableStorage tableStorage(LakehouseProperties properties, StorageProperties storage,
			AzureTableStorageProperties azure) {
		return switch (storage.type()) {
			case LOCAL -> new LocalTableStorage(properties.root());
			case AZURE_BLOB -> AzureBlobTableStorage.create(storage.azure(), azure);
		};
	}

	@Bean
	Engine deltaEngine(TableStorage storage) {
		return DefaultEngine.create(storage.fileIO());
	}

	@Bean
	BronzeTable bronzeTable(LakehouseProperties properties) {
		return new BronzeTable(properties.bronze().partitionByHour());
	}

	@Bean
	GoldTable goldTable() {
		return new GoldTable();
	}

	@Bean
	DeltaTableWriter bronzeWriter(Engine engine, TableStorage storage, BronzeTable bronze) {
		return new DeltaTableWriter(engine, storage, bronze.definition(), ENGINE_INFO);
	}

	@Bean
	DeltaTableWriter goldWriter(Engine engine, TableStorage storage, GoldTable gold) {
		return new DeltaTableWriter(engine, storage, gold.definition(), ENGINE_INFO);
	}

	/** Creates the tables (or checks their schemas) before any record is taken. */
	@Bean
	LakehouseTables lakehouseHealthIndicator(TableStorage storage, List<DeltaTableWriter> writers) {
		return new LakehouseTables(storage, writers);
	}

	@Bean
	DeltaSinkTask<TelemetryEvent> bronzeTask(LakehouseProperties properties, DeltaTableWriter bronzeWriter,
			BronzeTable bronze, LakehouseTables tables, BindingOutputSink sink, MeterRegistry registry,
			@Value("${spring.cloud.stream.bindings." + BRONZE_BINDING + ".destination}") String topic) {
		tables.ensureCreated();
		LakehouseMetrics metrics = new LakehouseMetrics(registry, bronze.definition().shortName());
		DeltaSinkTask<TelemetryEvent> task = new DeltaSinkTask<>(
				new DeltaSinkTask.Settings(topic, properties.bronze().appIdPrefix(), properties.commit().interval(),
						properties.commit().maxRows(), properties.commit().deliveryTimeout(),
						properties.bronze().deadLetterRejected()),
				ContractDecoders.telemetryEvents(), bronze, bronzeWriter, sink, metrics, Clock.systemUTC());
		metrics.gauges(task);
		return task;
	}

	@Bean
	DeltaSinkTask<WindowAggregate> goldTask(LakehouseProperties properties, DeltaTableWriter goldWriter, GoldTable gold,
			LakehouseTables tables, BindingOutputSink sink, MeterRegistry registry,
			@Value("${spring.cloud.stream.bindings." + GOLD_BINDING + ".destination}") String topic) {
		tables.ensureCreated();
		LakehouseMetrics metrics = new LakehouseMetrics(registry, gold.definition().shortName());
		DeltaSinkTask<WindowAggregate> task = new DeltaSinkTask<>(
				new DeltaSinkTask.Settings(topic, properties.gold().appIdPrefix(), properties.commit().interval(),
						properties.commit().maxRows(), properties.commit().deliveryTimeout(),
						properties.gold().deadLetterRejected()),
				ContractDecoders.windowAggregates(), gold, goldWriter, sink, metrics, Clock.systemUTC());
		metrics.gauges(task);
		return task;
	}

	@Bean
	Consumer<Message<?>> writeBronze(DeltaSinkTask<TelemetryEvent> bronzeTask) {
		return TaskConsumers.batches(bronzeTask);
	}

	@Bean
	Consumer<Message<?>> writeGold(DeltaSinkTask<WindowAggregate> goldTask) {
		return TaskConsumers.batches(goldTask);
	}

	@Bean
	TaskBinding bronzeTaskBinding(DeltaSinkTask<TelemetryEvent> bronzeTask) {
		return new TaskBinding(BRONZE_BINDING, bronzeTask);
	}

	@Bean
	TaskBinding goldTaskBinding(DeltaSinkTask<WindowAggregate> goldTask) {
		return new TaskBinding(GOLD_BINDING, goldTask);
	}

}
