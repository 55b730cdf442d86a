package io.millrace.serving.aggregates;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.transport.DeadLetterPublisher;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store, the {@code receiveAggregates} consumer function that fills it, and the
 * {@code deadletter} output for records that are not aggregates.
 */
@Configuration(proxyBeanMethods = false)
class AggregatesConfiguration {

	@Bean
	AggregateStore aggregateStore(ServingProperties properties) {
		return new AggregateStore(properties.retention());
	}

	@Bean
	DeadLetterPublisher deadLetterPublisher(StreamBridge bridge) {
		return new DeadLetterPublisher(bridge);
	}

	@Bean
	AggregatesConsumer receiveAggregates(AggregateStore store, DeadLetterPublisher deadLetters,
			@Value("${spring.cloud.stream.bindings.receiveAggregates-in-0.destination:telemetry-aggregates}") String source,
			MeterRegistry registry) {
		return new AggregatesConsumer(store, deadLetters, source, registry);
	}

}
