package io.millrace.ingest.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.ingest.ratelimit.ClientRateLimits;
import io.millrace.ingest.ratelimit.RateLimitProperties;
import io.millrace.transport.KafkaBinderHooks;

import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

	@Bean
	IngestMetrics ingestMetrics(MeterRegistry registry, IngestProperties properties) {
		return new IngestMetrics(registry, properties.maxBytesPerRequest().toBytes(), properties.publishTimeout());
	}

	@Bean
	ClientRateLimits clientRateLimits(RateLimitProperties properties) {
		return new ClientRateLimits(properties);
	}

	/** Registered on the binder by transport's {@code BinderHooksConfiguration}. */
	@Bean
	KafkaBinderHooks kafkaBinderHooks() {
		return new KafkaBinderHooks();
	}

	@Bean
	TelemetryPublisher telemetryPublisher(StreamBridge bridge, KafkaBinderHooks hooks,
			BindingServiceProperties bindings, IngestProperties properties) {
		return new TelemetryPublisher(bridge, hooks, bindings.getBindingDestination(TelemetryPublisher.BINDING),
				properties.publishTimeout());
	}

}
