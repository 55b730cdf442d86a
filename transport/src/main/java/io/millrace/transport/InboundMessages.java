package io.millrace.transport;

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

	static final String KAFKA_PARTITION = KafkaHeaders.RECEIVED_PARTITION;

	static final String KAFKA_OFFSET = KafkaHeaders.OFFSET;

	static final String KAFKA_TOPIC = KafkaHeaders.RECEIVED_TOPIC;

	/**
	 * What the Event Hubs binder sets on received events; {@code PARTITION_ID} is for
	 * sends.
	 */
	static final String EVENT_HUBS_PARTITION = AzureHeaders.RAW_PARTITION_ID;

	static final String EVENT_HUBS_SEQUENCE_NUMBER = EventHubsHeaders.SEQUENCE_NUMBER;

	static final String UNKNOWN = "unknown";

	private InboundMessages() {
	}

	/**
	 * @param message a consumed message
	 * @return its input partition, or {@code unknown}
	 */
	public static String partition(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		Object partition = headers.containsKey(KAFKA_PARTITION) ? headers.get(KAFKA_PARTITION)
				: headers.containsKey(EVENT_HUBS_PARTITION) ? headers.get(EVENT_HUBS_PARTITION)
						: headers.get(AzureHeaders.PARTITION_ID);
		return (partition != null) ? String.valueOf(partition) : UNKNOWN;
	}

	/**
	 * @param message a consumed message
	 * @return its offset (Kafka) or sequence number (Event Hubs), or -1
	 */
	public static long offset(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		Object offset = headers.containsKey(KAFKA_OFFSET) ? headers.get(KAFKA_OFFSET)
				: headers.get(EVENT_HUBS_SEQUENCE_NUMBER);
		return (offset instanceof Number number) ? number.longValue() : -1;
	}

	/**
	 * @param message a consumed message
	 * @return the topic (Kafka) it came from, or {@code null} when the binder does not
	 * say
	 */
	public static String source(Message<?> message) {
		Object topic = message.getHeaders().get(KAFKA_TOPIC);
		return (topic != null) ? String.valueOf(topic) : null;
	}

}
