package io.millrace.processing.pipeline;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the pipeline as the {@code processTelemetry} consumer function; the binder and
 * the destinations come from configuration.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

	@Bean
	TelemetryPipeline processTelemetry(ProcessingProperties properties, StreamBridge bridge, MeterRegistry registry) {
		return new TelemetryPipeline(properties, new TelemetryOutputs(bridge), registry, Clock.systemUTC());
	}

}
