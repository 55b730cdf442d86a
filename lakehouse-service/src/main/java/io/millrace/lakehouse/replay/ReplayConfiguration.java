package io.millrace.lakehouse.replay;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import io.delta.kernel.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.security.ApiAccessRules;
import io.millrace.security.Scopes;
import io.millrace.transport.BindingOutputSink;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The replay API: Bronze read back through the service's own engine and storage,
 * published through the runtime's output sink (each replay tracking its own
 * acknowledgements). Reading needs {@code read}, starting and cancelling {@code admin}.
 */
@Configuration(proxyBeanMethods = false)
class ReplayConfiguration {

	/** The dead-letter topic this service publishes to. */
	static final String DEAD_LETTER_TOPIC = "${spring.cloud.stream.bindings.deadletter.destination:telemetry-deadletter}";

	@Bean
	ApiAccessRules lakehouseAccessRules() {
		return ApiAccessRules.builder().reads(Scopes.READ, "/api/v1/**").writes(Scopes.ADMIN, "/api/v1/**").build();
	}

	@Bean
	ReplayJobs replayJobs(Engine engine, TableStorage storage, BronzeTable bronze, BindingOutputSink sink,
			ReplayProperties properties, MeterRegistry registry, @Value(DEAD_LETTER_TOPIC) String deadLetters) {
		Set<String> own = ownOutputs(deadLetters);
		for (String topic : properties.allowedTopics()) {
			if (own.contains(topic)) {
				throw new IllegalStateException("millrace.lakehouse.replay.allowed-topics names " + topic
						+ ", an output of lakehouse-service itself; a replay must not publish there");
			}
		}
		return new ReplayJobs(new BronzeReplaySource(engine, storage, bronze.definition()), sink::forTask, properties,
				new ReplayMetrics(registry, properties.allowedTopics()), Clock.systemUTC());
	}

	/**
	 * What this service itself publishes: its dead letters (and its tables, not topics).
	 */
	static Set<String> ownOutputs(String deadLetters) {
		Set<String> own = new HashSet<>();
		own.add(deadLetters);
		return own;
	}

}
