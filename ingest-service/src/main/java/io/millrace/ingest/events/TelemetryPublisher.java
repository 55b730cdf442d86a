package io.millrace.ingest.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.transport.KeyedMessages;
import io.millrace.transport.DirectKafkaSender;
import io.millrace.transport.KafkaBinderHooks;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Publishes accepted events to the {@code telemetry} output binding, keyed by sensorId,
 * and returns only once the broker acknowledged every one of them; otherwise it throws
 * {@link PublishFailedException} and the client gets a 503.
 * <p>
 * On the Kafka binder the events of a request are all handed to the binding's producer at
 * once and their acknowledgements awaited together, so a batch costs about one broker
 * round trip and concurrent requests share the producer's batches. On another binder they
 * go through the binding, which is configured synchronous, one after another.
 */
final class TelemetryPublisher {

	static final String BINDING = "telemetry";

	private final StreamBridge bridge;

	private final KafkaBinderHooks kafka;

	private final String destination;

	private final Duration timeout;

	TelemetryPublisher(StreamBridge bridge, KafkaBinderHooks kafka, String destination, Duration timeout) {
		this.bridge = bridge;
		this.kafka = kafka;
		this.destination = destination;
		this.timeout = timeout;
	}

	/**
	 * @param events the events, for their keys and ids
	 * @param payloads what to publish for each: the event's JSON
	 */
	void publish(List<TelemetryEvent> events, List<?> payloads) {
		DirectKafkaSender direct = this.kafka.senderFor(this.destination);
		if (direct != null) {
			publishDirectly(direct, events, payloads);
		}
		else {
			publishThroughBinding(events, payloads);
		}
	}

	private void publishDirectly(DirectKafkaSender direct, List<TelemetryEvent> events, List<?> payloads) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		CompletableFuture<?>[] acknowledgements = new CompletableFuture<?>[events.size()];
		for (int i = 0; i < events.size(); i++) {
			TelemetryEvent event = events.get(i);
			// A full producer buffer blocks each send for up to max.block.ms: give up
			// at the deadline rather than once per event.
			if (System.nanoTime() > deadline) {
				throw new PublishFailedException("The producer did not take event " + event.eventId() + " within "
						+ this.timeout.toMillis() + " ms", null);
			}
			try {
				acknowledgements[i] = direct.send(event.sensorId(), MillraceJson.bytes(payloads.get(i)), Map.of());
			}
			catch (RuntimeException ex) {
				throw new PublishFailedException("The producer refused event " + event.eventId(), ex);
			}
		}
		try {
			CompletableFuture.allOf(acknowledgements)
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new PublishFailedException("The broker did not acknowledge all " + events.size() + " events within "
					+ this.timeout.toMillis() + " ms", null);
		}
		catch (ExecutionException ex) {
			throw new PublishFailedException("The broker did not acknowledge all " + events.size() + " events",
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishFailedException("Interrupted while waiting for the broker", ex);
		}
	}

	private void publishThroughBinding(List<TelemetryEvent> events, List<?> payloads) {
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
