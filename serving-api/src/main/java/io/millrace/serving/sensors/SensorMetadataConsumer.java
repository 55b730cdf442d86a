package io.millrace.serving.sensors;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.InboundMessages;

import org.springframework.messaging.Message;

/**
 * Reads {@code sensor-metadata} into the {@link SensorRegistry}: a record puts its
 * sensor's metadata, a tombstone (no value) forgets the sensor. A record that is not
 * valid sensor metadata, or whose key is not its sensorId, is dead-lettered with the
 * reason and skipped.
 */
final class SensorMetadataConsumer implements Consumer<Message<?>> {

	private static final String DEADLETTERED = "millrace.serving.registry.deadlettered";

	private final SensorRegistry registry;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final MeterRegistry meters;

	SensorMetadataConsumer(SensorRegistry registry, DeadLetterPublisher deadLetters, String source,
			MeterRegistry meters) {
		this.registry = registry;
		this.deadLetters = deadLetters;
		this.source = source;
		this.meters = meters;
		deadlettered(DeadLetters.UNDECODABLE);
		deadlettered(DeadLetters.SCHEMA_INVALID);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void accept(Message<?> message) {
		String key = InboundMessages.key(message);
		if (InboundMessages.isTombstone(message)) {
			if (key != null) {
				this.registry.remove(key);
			}
			return;
		}
		Message<byte[]> record = (Message<byte[]>) message;
		Decoded<SensorMetadata> decoded = decode(record.getPayload(), key);
		if (!decoded.isValid()) {
			this.deadLetters.deadLetter(record, decoded, this.source, "SensorMetadata");
			deadlettered(decoded.reason()).increment();
			return;
		}
		this.registry.put(decoded.value());
	}

	private static Decoded<SensorMetadata> decode(byte[] payload, String key) {
		SensorMetadata metadata;
		try {
			metadata = MillraceJson.mapper().readValue(payload, SensorMetadata.class);
		}
		catch (IOException ex) {
			return Decoded.rejected(DeadLetters.UNDECODABLE,
					(ex instanceof JsonProcessingException json) ? json.getOriginalMessage() : ex.getMessage());
		}
		List<Map<String, Object>> errors = SensorMetadataValidator.validate(metadata.sensorId(), metadata);
		if (key != null && metadata.sensorId() != null && !key.equals(metadata.sensorId())) {
			return Decoded.rejected(DeadLetters.SCHEMA_INVALID,
					"the key '" + key + "' is not the sensorId '" + metadata.sensorId() + "'");
		}
		if (!errors.isEmpty()) {
			return Decoded.rejected(DeadLetters.SCHEMA_INVALID,
					errors.stream()
						.map((error) -> error.get("field") + " " + error.get("detail"))
						.reduce((a, b) -> a + "; " + b)
						.orElse(""));
		}
		return Decoded.valid(metadata);
	}

	private Counter deadlettered(String reason) {
		return Counter.builder(DEADLETTERED)
			.description("Records of sensor-metadata sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.meters);
	}

}
