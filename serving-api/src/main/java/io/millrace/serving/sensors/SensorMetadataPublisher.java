package io.millrace.serving.sensors;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.millrace.model.sensor.SensorMetadata;
import io.millrace.serving.api.ApiException;
import io.millrace.transport.DirectKafkaSender;
import io.millrace.transport.KafkaBinderHooks;
import io.millrace.transport.KeyedMessages;

import org.springframework.cloud.stream.function.StreamBridge;

/**
 * Publishes the registry's writes to the compacted {@code sensor-metadata} topic, keyed
 * by sensorId, through output binding {@code sensorMetadata} (synchronous: a write is
 * answered once the broker has it). A delete is a tombstone, a record without value,
 * which compaction removes the key with: on Kafka sent through the binder's own producer
 * ({@link KafkaBinderHooks#senderFor}), since a binding cannot send a null payload; on
 * another binder as an empty payload, which every reader treats as a tombstone too.
 */
final class SensorMetadataPublisher {

	static final String OUTPUT = "sensorMetadata";

	private final StreamBridge bridge;

	private final KafkaBinderHooks hooks;

	private final String destination;

	SensorMetadataPublisher(StreamBridge bridge, KafkaBinderHooks hooks, String destination) {
		this.bridge = bridge;
		this.hooks = hooks;
		this.destination = destination;
	}

	void publish(SensorMetadata metadata) {
		boolean sent;
		try {
			sent = this.bridge.send(OUTPUT, KeyedMessages.keyedJson(metadata, metadata.sensorId()));
		}
		catch (RuntimeException ex) {
			throw ApiException.registryUnavailable(
					"Could not publish to " + this.destination + ": " + ex.getMessage() + "; nothing was changed");
		}
		if (!sent) {
			throw ApiException.registryUnavailable("Could not publish to " + this.destination);
		}
	}

	void tombstone(String sensorId) {
		DirectKafkaSender direct = this.hooks.senderFor(this.destination);
		try {
			if (direct != null) {
				direct.send(sensorId, null, Map.of()).get(30, TimeUnit.SECONDS);
				return;
			}
			if (!this.bridge.send(OUTPUT, KeyedMessages.keyed(new byte[0], sensorId))) {
				throw new IllegalStateException("not sent");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ApiException.registryUnavailable("Interrupted while publishing the tombstone");
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw ApiException
				.registryUnavailable("Could not publish the tombstone to " + this.destination + ": " + ex.getMessage());
		}
	}

}
