package io.millrace.ingest.events;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.transport.KeyedMessages;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * Publishes accepted events to the {@code telemetry} output binding, keyed by sensorId.
 * The binding is synchronous (see {@code application.yml}): {@link #publish} returns only
 * after the broker acknowledged every event, and throws otherwise.
 */
final class TelemetryPublisher {

	static final String BINDING = "telemetry";

	private final StreamBridge bridge;

	private final ObjectMapper json = MillraceJson.mapper();

	TelemetryPublisher(StreamBridge bridge) {
		this.bridge = bridge;
	}

	void publish(List<TelemetryEvent> events) {
		for (TelemetryEvent event : events) {
			Message<byte[]> message = MessageBuilder.fromMessage(KeyedMessages.keyed(toJson(event), event.sensorId()))
				.setHeader("contentType", MimeTypeUtils.APPLICATION_JSON_VALUE)
				.build();
			boolean sent;
			try {
				sent = this.bridge.send(BINDING, message);
			}
			catch (RuntimeException ex) {
				throw new PublishFailedException("The broker did not acknowledge event " + event.eventId(), ex);
			}
			if (!sent) {
				throw new PublishFailedException("The output binding refused event " + event.eventId(), null);
			}
		}
	}

	private byte[] toJson(TelemetryEvent event) {
		try {
			return this.json.writeValueAsBytes(event);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write event " + event.eventId() + " as JSON", ex);
		}
	}

}
