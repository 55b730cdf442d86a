package io.millrace.lakehouse.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.delta.kernel.engine.Engine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.LakehouseProperties;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.silver.Expectation;
import io.millrace.lakehouse.silver.ExpectationParser;
import io.millrace.lakehouse.silver.SilverCommitter;
import io.millrace.lakehouse.silver.SilverPipeline;
import io.millrace.lakehouse.silver.SilverTables;
import io.millrace.lakehouse.sink.DeltaSinkTask;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.model.sensor.SensorRegistrySnapshot;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.SensorMetadataReader;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Silver: one more sink task on {@code telemetry-raw} ({@code writeSilver}, its own
 * consumer group), committing through {@link SilverCommitter} to the readings, quarantine
 * and expectation-results tables; and the sensor registry it enriches with, read whole
 * from the compacted {@code sensor-metadata} ({@code readSensorMetadata}, no group).
 */
@Configuration(proxyBeanMethods = false)
class SilverConfiguration {

	static final String SILVER_BINDING = "writeSilver-in-0";

	private static final Logger logger = LoggerFactory.getLogger(SilverConfiguration.class);

	private static final String ENGINE_INFO = "millrace-lakehouse";

	/** The configured rules, parsed: a bad one stops the start with its name and why. */
	static List<Expectation> expectations(LakehouseProperties properties) {
		List<Expectation> expectations = new ArrayList<>();
		for (Map.Entry<String, LakehouseProperties.Silver.Rule> rule : properties.silver().expectations().entrySet()) {
			try {
				expectations.add(
						ExpectationParser.parse(rule.getKey(), rule.getValue().expression(), rule.getValue().action()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"Invalid millrace.lakehouse.silver.expectations." + rule.getKey() + ": " + ex.getMessage(), ex);
			}
		}
		logger.info("Silver expectations: {}",
				expectations.stream()
					.map((e) -> e.name() + " [" + e.action().label() + "] " + e.expression())
					.toList());
		return List.copyOf(expectations);
	}

	@Bean
	DeltaTableWriter silverReadingsWriter(Engine engine, TableStorage storage) {
		return new DeltaTableWriter(engine, storage, SilverTables.readings(), ENGINE_INFO);
	}

	@Bean
	DeltaTableWriter silverQuarantineWriter(Engine engine, TableStorage storage) {
		return new DeltaTableWriter(engine, storage, SilverTables.quarantine(), ENGINE_INFO);
	}

	@Bean
	DeltaTableWriter silverResultsWriter(Engine engine, TableStorage storage) {
		return new DeltaTableWriter(engine, storage, SilverTables.expectationResults(), ENGINE_INFO);
	}

	@Bean
	SensorRegistrySnapshot sensorRegistry(MeterRegistry registry) {
		SensorRegistrySnapshot sensors = new SensorRegistrySnapshot();
		Gauge.builder("millrace.lakehouse.sensors.known", sensors::size)
			.description("Sensors whose metadata this instance has read from sensor-metadata (Silver enrichment)")
			.register(registry);
		return sensors;
	}

	@Bean
	SensorMetadataReader readSensorMetadata(SensorRegistrySnapshot sensorRegistry, MeterRegistry registry) {
		return new SensorMetadataReader(sensorRegistry, "lakehouse", registry);
	}

	@Bean
	DeltaSinkTask<TelemetryEvent> silverTask(LakehouseProperties properties, Engine engine, TableStorage storage,
			DeltaTableWriter silverReadingsWriter, DeltaTableWriter silverQuarantineWriter,
			DeltaTableWriter silverResultsWriter, SensorRegistrySnapshot sensorRegistry, LakehouseTables tables,
			BindingOutputSink sink, MeterRegistry registry,
			@Value("${spring.cloud.stream.bindings." + SILVER_BINDING + ".destination}") String topic) {
		List<Expectation> silverExpectations = expectations(properties);
		tables.ensureCreated();
		SilverMetrics silverMetrics = new SilverMetrics(registry, silverExpectations);
		SilverCommitter committer = new SilverCommitter(silverReadingsWriter, silverQuarantineWriter,
				silverResultsWriter, new DeltaTableReader(engine, storage, SilverTables.readings()),
				new DeltaTableReader(engine, storage, SilverTables.quarantine()), silverExpectations, silverMetrics,
				Clock.systemUTC());
		LakehouseProperties.Silver silver = properties.silver();
		Map<String, String> aliases = new java.util.LinkedHashMap<>();
		silver.metricAliases()
			.forEach((alias, canonical) -> aliases.put(SilverPipeline.canonicalForm(alias),
					SilverPipeline.canonicalForm(canonical)));
		SilverPipeline pipeline = new SilverPipeline(silverExpectations, aliases, silver.dedupeHorizon(),
				sensorRegistry, committer, silverMetrics);
		LakehouseMetrics metrics = new LakehouseMetrics(registry, SilverTables.readings().shortName());
		DeltaSinkTask<TelemetryEvent> task = new DeltaSinkTask<>(
				new DeltaSinkTask.Settings(topic, silver.appIdPrefix(), properties.commit().interval(),
						properties.commit().maxRows(), properties.commit().deliveryTimeout(),
						silver.deadLetterRejected()),
				ContractDecoders.telemetryEvents(), pipeline, committer, sink, metrics, Clock.systemUTC());
		metrics.gauges(task);
		return task;
	}

	@Bean
	Consumer<Message<?>> writeSilver(DeltaSinkTask<TelemetryEvent> silverTask) {
		return TaskConsumers.batches(silverTask);
	}

	@Bean
	TaskBinding silverTaskBinding(DeltaSinkTask<TelemetryEvent> silverTask) {
		return new TaskBinding(SILVER_BINDING, silverTask);
	}

}
