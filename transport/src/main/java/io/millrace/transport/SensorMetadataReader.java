package io.millrace.transport;

import java.io.IOException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.model.sensor.SensorRegistrySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;

/**
 * The consumer function of a service that joins on the sensor registry: reads the
 * compacted {@code sensor-metadata} topic (no group, from the start) into a
 * {@link SensorRegistrySnapshot}. A tombstone forgets the sensor; a record that is not
 * sensor metadata is counted ({@code millrace_<service>_sensors_unreadable_total}),
 * logged and skipped — the registry's writer (serving-api) validates and dead-letters, so
 * a reader does not stop on one.
 */
public final class SensorMetadataReader implements Consumer<Message<?>> {

	private static final Logger logger = LoggerFactory.getLogger(SensorMetadataReader.class);

	private final SensorRegistrySnapshot registry;

	private final Counter unreadable;

	/**
	 * @param registry what to fill
	 * @param service the metric prefix's service, for example {@code alerting}
	 * @param meters where to count unreadable records
	 */
	public SensorMetadataReader(SensorRegistrySnapshot registry, String service, MeterRegistry meters) {
		this.registry = registry;
		this.unreadable = Counter.builder("millrace." + service + ".sensors.unreadable")
			.description("Records of sensor-metadata that are not sensor metadata, skipped")
			.register(meters);
	}

	@Override
	public void accept(Message<?> message) {
		if (InboundMessages.isTombstone(message)) {
			String sensorId = InboundMessages.key(message);
			if (sensorId != null) {
				this.registry.remove(sensorId);
			}
			return;
		}
		try {
			SensorMetadata metadata = MillraceJson.mapper()
				.readValue((byte[]) message.getPayload(), SensorMetadata.class);
			if (metadata.sensorId() == null || metadata.sensorId().isBlank()) {
				throw new IOException("no sensorId");
			}
			this.registry.put(metadata);
		}
		catch (IOException | RuntimeException ex) {
			this.unreadable.increment();
			logger.warn("Skipped a record of sensor-metadata that is not sensor metadata: {}", ex.toString());
		}
	}

}
