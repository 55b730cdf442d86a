package io.millrace.processing.pipeline;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.processing.checkpoint.CheckpointStore;
import io.millrace.processing.progress.ProgressTracker;
import io.millrace.processing.progress.StreamingProgressEndpoint;
import io.millrace.storage.LocalDirectoryObjectStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wires the pipeline as the {@code processTelemetry} consumer function (the binder and
 * destinations come from configuration) and lets processing time pass for it.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PipelineConfiguration {

	@Bean
	ProgressTracker progressTracker(ProcessingProperties properties) {
		return new ProgressTracker(Clock.systemUTC(), properties.progressInterval(), 12);
	}

	@Bean
	StreamingProgressEndpoint streamingProgressEndpoint(ProgressTracker tracker) {
		return new StreamingProgressEndpoint(tracker);
	}

	@Bean
	OutputSender outputSender(ObjectProvider<StreamBridge> bridge, BindingServiceProperties bindings) {
		return new OutputSender(bridge, bindings);
	}

	/**
	 * Checkpoints are filed under the consumer group and topic, so two pipelines reading
	 * different topics or groups from one store do not meet.
	 */
	@Bean
	CheckpointStore checkpointStore(ProcessingProperties properties,
			@Value("${spring.cloud.stream.bindings.processTelemetry-in-0.group}") String group,
			@Value("${spring.cloud.stream.bindings.processTelemetry-in-0.destination}") String topic) {
		return new CheckpointStore(new LocalDirectoryObjectStore(properties.checkpoint().directory()),
				"processing/" + group + "/" + topic);
	}

	@Bean
	TelemetryPipeline processTelemetry(ProcessingProperties properties, CheckpointStore checkpoints,
			OutputSender sender, MeterRegistry registry, ProgressTracker progress) {
		return new TelemetryPipeline(properties, checkpoints, sender, registry, progress, Clock.systemUTC());
	}

	@Bean
	PipelineTicker pipelineTicker(TelemetryPipeline pipeline) {
		return new PipelineTicker(pipeline);
	}

	/** Ticks the pipeline so idle partitions and early results do not wait for events. */
	static final class PipelineTicker {

		private final TelemetryPipeline pipeline;

		PipelineTicker(TelemetryPipeline pipeline) {
			this.pipeline = pipeline;
		}

		@Scheduled(fixedDelayString = "${millrace.processing.tick-interval:1s}")
		void tick() {
			this.pipeline.tick();
		}

	}

}
