package io.millrace.transport;

import java.nio.charset.StandardCharsets;

import com.azure.spring.messaging.AzureHeaders;
import com.azure.spring.messaging.eventhubs.support.EventHubsHeaders;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Where a single consumed message came from, as either binder says it: the one place that
 * knows the binders' inbound header names for record-at-a-time consumers (batches:
 * {@link BinderBatches}).
 */
public final class InboundMessages {

	static final String UNKNOWN = "unknown";

	private InboundMessages() {
	}

	/**
	 * @param message a consumed message
	 * @return its input partition, or {@code unknown}
	 */
	public static String partition(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		Object partition = headers.containsKey(KafkaHeaders.RECEIVED_PARTITION)
				? headers.get(KafkaHeaders.RECEIVED_PARTITION) : eventHubsPartition(headers);
		return (partition != null) ? String.valueOf(partition) : UNKNOWN;
	}

	/**
	 * The Event Hubs partition id of received events: {@code RAW_PARTITION_ID} is what
	 * the binder sets on them ({@code PARTITION_ID} is for sends, kept as a fallback).
	 */
	static Object eventHubsPartition(MessageHeaders headers) {
		return headers.containsKey(AzureHeaders.RAW_PARTITION_ID) ? headers.get(AzureHeaders.RAW_PARTITION_ID)
				: headers.get(AzureHeaders.PARTITION_ID);
	}

	/**
	 * @param message a consumed message
	 * @return its offset (Kafka) or sequence number (Event Hubs), or -1
	 */
	public static long offset(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		Object offset = headers.containsKey(KafkaHeaders.OFFSET) ? headers.get(KafkaHeaders.OFFSET)
				: headers.get(EventHubsHeaders.SEQUENCE_NUMBER);
		return (offset instanceof Number number) ? number.longValue() : -1;
	}

	/**
	 * @param message a consumed message
	 * @return the topic (Kafka) it came from, or {@code null} when the binder does not
	 * say
	 */
	public static String source(Message<?> message) {
		Object topic = message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC);
		return (topic != null) ? String.valueOf(topic) : null;
	}

	/**
	 * @param message a consumed message
	 * @return its key as text (Kafka: the record key; Event Hubs: the partition key), or
	 * {@code null} when it has none
	 */
	public static String key(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		Object key = headers.containsKey(KafkaHeaders.RECEIVED_KEY) ? headers.get(KafkaHeaders.RECEIVED_KEY)
				: headers.get(AzureHeaders.PARTITION_KEY);
		if (key instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (key != null) ? String.valueOf(key) : null;
	}

	/**
	 * Whether a consumed message is a tombstone: a record without a value, which deletes
	 * its key from a compacted topic.
	 * @param message a consumed message
	 * @return true when it has no value
	 */
	public static boolean isTombstone(Message<?> message) {
		Object payload = message.getPayload();
		return payload == null || !(payload instanceof byte[]) || ((byte[]) payload).length == 0;
	}

}
