package io.millrace.alerting.sensors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.model.sensor.SensorRegistrySnapshot;
import io.millrace.transport.SensorMetadataReader;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads {@code sensor-metadata} (consumer function {@code readSensorMetadata}, no
 * consumer group, from the start: the compacted topic is the registry) into the
 * registry's tags that rules selecting by tag consult: window aggregates carry no tags.
 */
@Configuration(proxyBeanMethods = false)
class SensorRegistryConfiguration {

	@Bean
	SensorRegistrySnapshot sensorRegistry(MeterRegistry registry) {
		SensorRegistrySnapshot sensors = new SensorRegistrySnapshot();
		Gauge.builder("millrace.alerting.sensors.known", sensors::size)
			.description("Sensors whose registry tags this instance has read from sensor-metadata")
			.register(registry);
		return sensors;
	}

	@Bean
	SensorTags sensorTags(SensorRegistrySnapshot sensorRegistry) {
		return sensorRegistry::tags;
	}

	@Bean
	SensorMetadataReader readSensorMetadata(SensorRegistrySnapshot sensorRegistry, MeterRegistry registry) {
		return new SensorMetadataReader(sensorRegistry, "alerting", registry);
	}

}
