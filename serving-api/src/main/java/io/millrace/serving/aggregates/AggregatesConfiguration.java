package io.millrace.serving.aggregates;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store and the {@code receiveAggregates} consumer function that fills it. */
@Configuration(proxyBeanMethods = false)
class AggregatesConfiguration {

	@Bean
	AggregateStore aggregateStore(ServingProperties properties) {
		return new AggregateStore(properties.retention());
	}

	@Bean
	AggregatesConsumer receiveAggregates(AggregateStore store, MeterRegistry registry) {
		return new AggregatesConsumer(store, registry);
	}

}
