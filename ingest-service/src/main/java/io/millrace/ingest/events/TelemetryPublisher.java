package io.millrace.ingest.events;

import java.util.List;

import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.transport.KeyedMessages;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Publishes accepted events to the {@code telemetry} output binding, keyed by sensorId.
 * The binding is synchronous (see {@code application.yml}): {@link #publish} returns only
 * after the broker acknowledged every event, and throws otherwise.
 */
final class TelemetryPublisher {

	static final String BINDING = "telemetry";

	private final StreamBridge bridge;

	TelemetryPublisher(StreamBridge bridge) {
		this.bridge = bridge;
	}

	/**
	 * @param events the events, for their keys and ids
	 * @param payloads what to publish for each: the event's JSON
	 */
	void publish(List<TelemetryEvent> events, List<?> payloads) {
		for (int i = 0; i < events.size(); i++) {
			TelemetryEvent event = events.get(i);
			Message<byte[]> message = KeyedMessages.keyedJson(payloads.get(i), event.sensorId());
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

}
