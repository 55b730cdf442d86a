package io.millrace.processing.pipeline;

import java.time.Clock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.progress.ProgressTracker;
import io.millrace.processing.progress.StreamingProgressEndpoint;
import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.task.StreamTask;
import io.millrace.storage.ObjectStore;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;
import io.millrace.transport.storage.StorageProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * Wires the windowing engine as an operator of the streaming runtime, fed by the
 * {@code processTelemetry} consumer function (the binder and destinations come from
 * configuration); the runtime's wiring ticks it and hands partitions over.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class PipelineConfiguration {

	static final String INPUT_BINDING = "processTelemetry-in-0";

	@Bean
	ProgressTracker progressTracker(ProcessingProperties properties) {
		return new ProgressTracker(Clock.systemUTC(), properties.progressInterval(), 12);
	}

	@Bean
	StreamingProgressEndpoint streamingProgressEndpoint(ProgressTracker tracker) {
		return new StreamingProgressEndpoint(tracker);
	}

	/**
	 * Checkpoints: the local directory or the Azure container {@code millrace.storage}
	 * names.
	 */
	@Bean
	ObjectStore checkpointObjects(ProcessingProperties properties, StorageProperties storage) {
		return storage.create(properties.checkpoint().directory(), null);
	}

	@Bean
	ProcessingMetrics processingMetrics(MeterRegistry registry) {
		return new ProcessingMetrics(registry);
	}

	/**
	 * Checkpoints are filed under the consumer group and topic, so two pipelines reading
	 * different topics or groups from one store do not meet.
	 */
	@Bean
	StreamTask<TelemetryEvent> telemetryTask(ProcessingProperties properties, ObjectStore checkpointObjects,
			BindingOutputSink sink, ProcessingMetrics metrics, ProgressTracker progress, Environment environment,
			@Value("${spring.cloud.stream.bindings." + INPUT_BINDING + ".group}") String group,
			@Value("${spring.cloud.stream.bindings." + INPUT_BINDING + ".destination}") String topic) {
		DurationUnits.requireUnits(environment);
		Clock clock = Clock.systemUTC();
		TelemetryOperator operator = new TelemetryOperator(new StreamEngine(properties.engineConfig(), clock), metrics,
				progress, properties.emitSketches());
		StreamTask<TelemetryEvent> task = new StreamTask<>(
				new StreamTask.Settings(topic, properties.checkpoint().interval(),
						properties.checkpoint().deliveryTimeout()),
				new TelemetryEventReader(), operator,
				new CheckpointStore(checkpointObjects, "processing/" + group + "/" + topic), sink, metrics, clock);
		metrics.gauges(task::status, operator::status);
		return task;
	}

	@Bean
	Consumer<Message<?>> processTelemetry(StreamTask<TelemetryEvent> telemetryTask) {
		return TaskConsumers.batches(telemetryTask);
	}

	@Bean
	TaskBinding telemetryTaskBinding(StreamTask<TelemetryEvent> telemetryTask) {
		return new TaskBinding(INPUT_BINDING, telemetryTask);
	}

}
