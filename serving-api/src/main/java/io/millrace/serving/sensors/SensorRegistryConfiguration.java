package io.millrace.serving.sensors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.KafkaBinderHooks;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sensor registry: the {@link SensorRegistry} directory filled by consumer function
 * {@code receiveSensorMetadata} from the whole compacted {@code sensor-metadata} topic
 * (no group, from the start), and output binding {@code sensorMetadata} its writes are
 * published to.
 */
@Configuration(proxyBeanMethods = false)
class SensorRegistryConfiguration {

	static final String DESTINATION = "${spring.cloud.stream.bindings.sensorMetadata.destination:sensor-metadata}";

	@Bean
	SensorRegistry sensorRegistry(MeterRegistry meters) {
		SensorRegistry registry = new SensorRegistry();
		Gauge.builder("millrace.serving.registry.sensors", registry, SensorRegistry::size)
			.description("Sensors in the registry, as read from sensor-metadata")
			.register(meters);
		return registry;
	}

	@Bean
	SensorMetadataConsumer receiveSensorMetadata(SensorRegistry registry, DeadLetterPublisher deadLetters,
			@Value(DESTINATION) String source, MeterRegistry meters) {
		return new SensorMetadataConsumer(registry, deadLetters, source, meters);
	}

	@Bean
	SensorMetadataPublisher sensorMetadataPublisher(StreamBridge bridge, KafkaBinderHooks hooks,
			@Value(DESTINATION) String destination) {
		return new SensorMetadataPublisher(bridge, hooks, destination);
	}

}
