package io.millrace.transport;

import java.time.Instant;
import java.util.Map;

import com.azure.spring.messaging.AzureHeaders;
import com.azure.spring.messaging.eventhubs.support.EventHubsHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single messages as the binders really deliver them, built with the binders' own header
 * constants: an Event Hubs record as {@code EventHubsInboundChannelAdapter}'s record
 * listener and {@code EventHubsMessageConverter} (6.1.0) build it, a Kafka record as
 * spring-kafka's {@code MessagingMessageConverter} does.
 */
class InboundMessagesTests {

	@Test
	void anEventHubsRecordTellsItsPartitionIdAndSequenceNumber() {
		Message<byte[]> message = MessageBuilder.withPayload(new byte[] { 1 })
			.setHeader(AzureHeaders.RAW_PARTITION_ID, "3")
			.setHeader(EventHubsHeaders.SEQUENCE_NUMBER, 17L)
			.setHeader(EventHubsHeaders.OFFSET, 8192L)
			.setHeader(EventHubsHeaders.ENQUEUED_TIME, Instant.parse("2026-12-01T00:00:00Z"))
			.setHeader(AzureHeaders.PARTITION_KEY, "sensor-1")
			.setHeader(EventHubsHeaders.LAST_ENQUEUED_EVENT_PROPERTIES, Map.of())
			.build();

		assertThat(InboundMessages.partition(message))
			.as("the partition id is in %s (%s names the partition to send to)", AzureHeaders.RAW_PARTITION_ID,
					AzureHeaders.PARTITION_ID)
			.isEqualTo("3");
		assertThat(InboundMessages.offset(message))
			.as("the offset is the sequence number of %s, not the byte offset of %s", EventHubsHeaders.SEQUENCE_NUMBER,
					EventHubsHeaders.OFFSET)
			.isEqualTo(17L);
	}

	@Test
	void anEventHubsRecordNamesNoSource() {
		Message<byte[]> message = MessageBuilder.withPayload(new byte[] { 1 })
			.setHeader(AzureHeaders.RAW_PARTITION_ID, "0")
			.setHeader(EventHubsHeaders.SEQUENCE_NUMBER, 0L)
			.build();

		assertThat(InboundMessages.source(message)).isNull();
	}

	@Test
	void aKafkaRecordTellsItsPartitionOffsetAndTopic() {
		Message<byte[]> message = MessageBuilder.withPayload(new byte[] { 1 })
			.setHeader(KafkaHeaders.RECEIVED_PARTITION, 2)
			.setHeader(KafkaHeaders.OFFSET, 99L)
			.setHeader(KafkaHeaders.RECEIVED_TOPIC, "telemetry-raw")
			.build();

		assertThat(InboundMessages.partition(message)).isEqualTo("2");
		assertThat(InboundMessages.offset(message)).isEqualTo(99L);
		assertThat(InboundMessages.source(message)).isEqualTo("telemetry-raw");
	}

	@Test
	void aMessageWithoutBinderHeadersHasAnUnknownPartitionAndNoOffset() {
		Message<byte[]> message = MessageBuilder.withPayload(new byte[] { 1 }).build();

		assertThat(InboundMessages.partition(message)).isEqualTo("unknown");
		assertThat(InboundMessages.offset(message)).isEqualTo(-1L);
		assertThat(InboundMessages.source(message)).isNull();
	}

}
