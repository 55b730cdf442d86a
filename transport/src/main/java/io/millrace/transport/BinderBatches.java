package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.azure.spring.messaging.AzureHeaders;
import com.azure.spring.messaging.checkpoint.Checkpointer;
import com.azure.spring.messaging.eventhubs.support.EventHubsHeaders;
import io.millrace.runtime.task.InputBatch;

import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A batch of records as either binder delivers it in batch mode, turned into the
 * runtime's {@link InputBatch}: where each record came from and how to commit the batch.
 * The one place that knows the binders' inbound batch header names.
 */
public final class BinderBatches {

	private BinderBatches() {
	}

	/**
	 * @param message a batch as the binder delivers it ({@code List<byte[]>} payload)
	 * @return the batch; partition {@code unknown} and offsets -1 when the binder does
	 * not say
	 */
	public static InputBatch of(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		List<byte[]> payloads = payloads(message.getPayload());
		int size = payloads.size();
		if (headers.get(KafkaHeaders.RECEIVED_PARTITION) instanceof List<?> kafkaPartitions
				&& headers.get(KafkaHeaders.OFFSET) instanceof List<?> kafkaOffsets) {
			Acknowledgment acknowledgment = headers.get(KafkaHeaders.ACKNOWLEDGMENT, Acknowledgment.class);
			return new InputBatch(payloads, kafkaPartitions.stream().map(String::valueOf).toList(),
					kafkaOffsets.stream().map((offset) -> ((Number) offset).longValue()).toList(),
					(acknowledgment != null) ? acknowledgment::acknowledge : () -> {
					});
		}
		Object eventHubsPartition = InboundMessages.eventHubsPartition(headers);
		if (eventHubsPartition != null
				&& headers.get(EventHubsHeaders.BATCH_CONVERTED_SEQUENCE_NUMBER) instanceof List<?> sequenceNumbers) {
			// The runtime's checkpoint holds the position; the binder's own checkpoint
			// only tells a new owner where to start reading, and is set after ours.
			Checkpointer checkpointer = headers.get(AzureHeaders.CHECKPOINTER, Checkpointer.class);
			return new InputBatch(payloads, Collections.nCopies(size, String.valueOf(eventHubsPartition)),
					sequenceNumbers.stream().map((number) -> ((Number) number).longValue()).toList(),
					(checkpointer != null) ? () -> checkpointer.success().subscribe() : () -> {
					});
		}
		return new InputBatch(payloads, Collections.nCopies(size, InboundMessages.UNKNOWN),
				Collections.nCopies(size, -1L), () -> {
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

}
