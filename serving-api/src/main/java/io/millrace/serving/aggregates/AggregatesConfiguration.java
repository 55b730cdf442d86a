package io.millrace.serving.aggregates;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.serving.store.WindowStore;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.KafkaBinderHooks;
import io.millrace.transport.StartupCatchUp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store, the {@code receiveAggregates} consumer function that fills it, the
 * {@code deadletter} output for records that are not aggregates, and health component
 * {@code store} (readiness waits for the rebuild from the topic).
 */
@Configuration(proxyBeanMethods = false)
class AggregatesConfiguration {

	static final String BINDING = "receiveAggregates-in-0";

	@Bean
	WindowStore windowStore(ServingProperties properties, MeterRegistry registry) {
		WindowStore store = new WindowStore(properties.retention(), properties.maxWindows(), properties.sweepInterval(),
				Clock.systemUTC());
		Gauge.builder("millrace.serving.sensors", store, WindowStore::sensorCount)
			.description("Sensors with aggregates in memory")
			.register(registry);
		Gauge.builder("millrace.serving.windows", store, WindowStore::windowCount)
			.description("Window aggregates in memory")
			.register(registry);
		FunctionCounter.builder("millrace.serving.evicted", store, WindowStore::evictedByAge)
			.description("Windows removed from memory, by reason")
			.tag("reason", "age")
			.register(registry);
		FunctionCounter.builder("millrace.serving.evicted", store, WindowStore::evictedByCapacity)
			.description("Windows removed from memory, by reason")
			.tag("reason", "capacity")
			.register(registry);
		return store;
	}

	@Bean
	StartupCatchUp aggregatesCatchUp() {
		return new StartupCatchUp(BINDING);
	}

	@Bean
	KafkaBinderHooks servingBinderHooks(List<StartupCatchUp> catchUps) {
		return StartupCatchUp.hooks(catchUps);
	}

	@Bean
	RebuildStatus storeHealthIndicator(WindowStore store, StartupCatchUp aggregatesCatchUp,
			ServingProperties properties, MeterRegistry registry) {
		RebuildStatus status = new RebuildStatus(aggregatesCatchUp, properties.rebuild().mode(),
				properties.rebuild().quietPeriod(), System::nanoTime,
				() -> Map.of("windows", store.windowCount(), "sensors", store.sensorCount()));
		Gauge.builder("millrace.serving.store.rebuilt", status, (s) -> s.isRebuilt() ? 1 : 0)
			.description("1 once the store holds what telemetry-aggregates held at start (readiness waits for it)")
			.register(registry);
		return status;
	}

	@Bean
	DeadLetterPublisher deadLetterPublisher(StreamBridge bridge) {
		return new DeadLetterPublisher(bridge);
	}

	@Bean
	AggregatesConsumer receiveAggregates(WindowStore store, StartupCatchUp aggregatesCatchUp,
			RebuildStatus storeHealthIndicator, DeadLetterPublisher deadLetters,
			@Value("${spring.cloud.stream.bindings.receiveAggregates-in-0.destination:telemetry-aggregates}") String source,
			MeterRegistry registry) {
		return new AggregatesConsumer(store, aggregatesCatchUp, storeHealthIndicator, deadLetters, source, registry);
	}

}
