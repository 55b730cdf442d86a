package io.millrace.alerting.sensors;

import java.io.IOException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.transport.InboundMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads {@code sensor-metadata} (consumer function {@code readSensorMetadata}, no
 * consumer group, from the start: the compacted topic is the registry) into the
 * {@link SensorRegistryView} that rules selecting by tag consult.
 */
@Configuration(proxyBeanMethods = false)
class SensorRegistryConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SensorRegistryConfiguration.class);

	@Bean
	SensorRegistryView sensorRegistryView(MeterRegistry registry) {
		SensorRegistryView view = new SensorRegistryView();
		Gauge.builder("millrace.alerting.sensors.known", view::size)
			.description("Sensors whose registry tags this instance has read from sensor-metadata")
			.register(registry);
		return view;
	}

	@Bean
	Consumer<Message<?>> readSensorMetadata(SensorRegistryView view, MeterRegistry registry) {
		Counter unreadable = Counter.builder("millrace.alerting.sensors.unreadable")
			.description("Records of sensor-metadata that are not sensor metadata, skipped")
			.register(registry);
		return (message) -> {
			if (InboundMessages.isTombstone(message)) {
				String sensorId = InboundMessages.key(message);
				if (sensorId != null) {
					view.remove(sensorId);
				}
				return;
			}
			try {
				SensorMetadata metadata = MillraceJson.mapper()
					.readValue((byte[]) message.getPayload(), SensorMetadata.class);
				if (metadata.sensorId() == null || metadata.sensorId().isBlank()) {
					throw new IOException("no sensorId");
				}
				view.put(metadata);
			}
			catch (IOException | RuntimeException ex) {
				// The registry's writer validates; a bad record here is skipped, not
				// fatal.
				unreadable.increment();
				logger.warn("Skipped a record of sensor-metadata that is not sensor metadata: {}", ex.toString());
			}
		};
	}

}
