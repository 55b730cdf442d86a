package io.millrace.transport;

import java.nio.charset.StandardCharsets;

import io.millrace.model.json.MillraceJson;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * The one place that knows how each binder reads a message key, so that service code can
 * key every record by {@code sensorId} without naming a binder. The Kafka binder takes
 * the record key from {@code kafka_messageKey} (bytes, for the default byte-array key
 * serializer); the Event Hubs binder takes the partition key from
 * {@code azure_partition_key}. Each binder ignores the other's header.
 */
public final class KeyedMessages {

	static final String KAFKA_MESSAGE_KEY = "kafka_messageKey";

	static final String EVENT_HUBS_PARTITION_KEY = "azure_partition_key";

	private KeyedMessages() {
	}

	/**
	 * A message for {@code payload} keyed by {@code key} on every binder.
	 * @param <T> the payload type
	 * @param payload the payload
	 * @param key the partition key, normally the sensorId
	 * @return the message
	 */
	public static <T> Message<T> keyed(T payload, String key) {
		return MessageBuilder.withPayload(payload)
			.setHeader(KAFKA_MESSAGE_KEY, key.getBytes(StandardCharsets.UTF_8))
			.setHeader(EVENT_HUBS_PARTITION_KEY, key)
			.build();
	}

	/**
	 * A contract object as a JSON message ({@code contentType: application/json}) keyed
	 * by {@code key} on every binder: how services publish events, aggregates and alerts.
	 * @param contract the object, written with the contract's JSON settings
	 * @param key the partition key, normally the sensorId
	 * @return the message, whose payload is the JSON bytes
	 */
	public static Message<byte[]> keyedJson(Object contract, String key) {
		return MessageBuilder.fromMessage(keyed(MillraceJson.bytes(contract), key))
			.setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE)
			.build();
	}

}
