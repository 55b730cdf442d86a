package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.azure.spring.messaging.checkpoint.Checkpointer;

import org.springframework.kafka.support.Acknowledgment;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A batch of records as either binder delivers it in batch mode, with where each record
 * came from and how to commit the batch. This is the one place that knows the binders'
 * inbound header names.
 *
 * @param payloads the record payloads
 * @param partitions the input partition of each record
 * @param offsets the offset (Kafka) or sequence number (Event Hubs) of each record, or
 * {@code -1} when the binder does not say
 * @param commit commits the consumer position past the whole batch
 */
record ConsumedBatch(List<byte[]> payloads, List<String> partitions, List<Long> offsets, Runnable commit) {

	static final String UNKNOWN_PARTITION = "unknown";

	static ConsumedBatch of(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		List<byte[]> payloads = payloads(message.getPayload());
		int size = payloads.size();
		if (headers.get("kafka_receivedPartitionId") instanceof List<?> kafkaPartitions
				&& headers.get("kafka_offset") instanceof List<?> kafkaOffsets) {
			Acknowledgment acknowledgment = headers.get("kafka_acknowledgment", Acknowledgment.class);
			return new ConsumedBatch(payloads, kafkaPartitions.stream().map(String::valueOf).toList(),
					kafkaOffsets.stream().map((offset) -> ((Number) offset).longValue()).toList(),
					(acknowledgment != null) ? acknowledgment::acknowledge : () -> {
					});
		}
		Object eventHubsPartition = headers.get("azure_partition_id");
		if (eventHubsPartition != null
				&& headers.get("azure_eventhubs_batch_converted_sequence_number") instanceof List<?> sequenceNumbers) {
			Checkpointer checkpointer = headers.get("azure_checkpointer", Checkpointer.class);
			return new ConsumedBatch(payloads, Collections.nCopies(size, String.valueOf(eventHubsPartition)),
					sequenceNumbers.stream().map((number) -> ((Number) number).longValue()).toList(),
					(checkpointer != null) ? () -> checkpointer.success().subscribe() : () -> {
					});
		}
		return new ConsumedBatch(payloads, Collections.nCopies(size, UNKNOWN_PARTITION), Collections.nCopies(size, -1L),
				() -> {
				});
	}

	private static List<byte[]> payloads(Object payload) {
		if (payload instanceof byte[] single) {
			return List.of(single);
		}
		if (payload instanceof List<?> list) {
			List<byte[]> bytes = new ArrayList<>(list.size());
			for (Object item : list) {
				bytes.add((item instanceof byte[] raw) ? raw : String.valueOf(item).getBytes(StandardCharsets.UTF_8));
			}
			return bytes;
		}
		throw new IllegalArgumentException("Expected a batch of byte[] records, got " + payload.getClass().getName());
	}

	int size() {
		return this.payloads.size();
	}

}
