package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.spring.messaging.AzureHeaders;
import com.azure.spring.messaging.checkpoint.Checkpointer;
import com.azure.spring.messaging.eventhubs.support.EventHubsHeaders;
import io.millrace.runtime.task.InputBatch;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches as the binders really deliver them in batch mode. The header names are the
 * binders' own constants, not copies: the Event Hubs batch is built as
 * {@code EventHubsInboundChannelAdapter}'s batch listener and
 * {@code EventHubsBatchMessageConverter} (spring-integration-azure-eventhubs and
 * spring-messaging-azure-eventhubs 6.1.0) build it, the Kafka batch as spring-kafka's
 * {@code BatchMessagingMessageConverter} does.
 */
class BinderBatchesTests {

	@Test
	void anEventHubsBatchCarriesItsPartitionIdAsAStringAndSequenceNumbersAsOffsets() {
		InputBatch batch = BinderBatches.of(eventHubsBatch("1", List.of(40L, 41L, 42L), new CountingCheckpointer()));

		assertThat(batch.payloads()).extracting(BinderBatchesTests::text).containsExactly("a", "b", "c");
		assertThat(batch.partitions())
			.as("the partition id is in %s (set by the binder's inbound adapter; %s names the partition to send to)",
					AzureHeaders.RAW_PARTITION_ID, AzureHeaders.PARTITION_ID)
			.containsExactly("1", "1", "1");
		assertThat(batch.offsets())
			.as("the offsets are the sequence numbers of %s, not the byte offsets of %s",
					EventHubsHeaders.BATCH_CONVERTED_SEQUENCE_NUMBER, EventHubsHeaders.BATCH_CONVERTED_OFFSET)
			.containsExactly(40L, 41L, 42L);
	}

	@Test
	void anEventHubsPartitionIdIsKeptExactlyAsTheServiceNamesIt() {
		InputBatch batch = BinderBatches.of(eventHubsBatch("10", List.of(7L), new CountingCheckpointer()));

		assertThat(batch.partitions()).containsExactly("10");
	}

	@Test
	void committingAnEventHubsBatchCheckpointsItThroughTheBindersCheckpointer() {
		CountingCheckpointer checkpointer = new CountingCheckpointer();
		InputBatch batch = BinderBatches.of(eventHubsBatch("0", List.of(5L, 6L), checkpointer));
		assertThat(checkpointer.successes).as("nothing is checkpointed before the runtime commits").hasValue(0);

		batch.commit().run();

		assertThat(checkpointer.successes).as("Checkpointer.success() called and its Mono subscribed").hasValue(1);
		assertThat(checkpointer.failures).hasValue(0);
	}

	@Test
	void aKafkaBatchCarriesPartitionsAndOffsetsPerRecord() {
		InputBatch batch = BinderBatches
			.of(kafkaBatch(List.of(0, 2, 0), List.of(5L, 9L, 6L), new CountingAcknowledgment()));

		assertThat(batch.payloads()).extracting(BinderBatchesTests::text).containsExactly("a", "b", "c");
		assertThat(batch.partitions()).containsExactly("0", "2", "0");
		assertThat(batch.offsets()).containsExactly(5L, 9L, 6L);
	}

	@Test
	void committingAKafkaBatchAcknowledgesIt() {
		CountingAcknowledgment acknowledgment = new CountingAcknowledgment();
		InputBatch batch = BinderBatches.of(kafkaBatch(List.of(1), List.of(3L), acknowledgment));
		assertThat(acknowledgment.acknowledged).hasValue(0);

		batch.commit().run();

		assertThat(acknowledgment.acknowledged).hasValue(1);
	}

	@Test
	void aBatchWithoutBinderHeadersHasAnUnknownPartitionAndNoOffsetsAndCommitsNothing() {
		Message<List<byte[]>> message = MessageBuilder.withPayload(payloads("a", "b")).build();

		InputBatch batch = BinderBatches.of(message);

		assertThat(batch.partitions()).containsExactly("unknown", "unknown");
		assertThat(batch.offsets()).containsExactly(-1L, -1L);
		batch.commit().run();
	}

	@Test
	void anEventHubsBatchWithoutACheckpointerStillCommitsWithoutFailing() {
		// Any checkpoint mode but MANUAL: the binder sets no checkpointer header.
		Message<List<byte[]>> message = MessageBuilder.withPayload(payloads("a"))
			.setHeader(AzureHeaders.RAW_PARTITION_ID, "0")
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_SEQUENCE_NUMBER, List.of(12L))
			.build();

		InputBatch batch = BinderBatches.of(message);

		assertThat(batch.partitions()).containsExactly("0");
		assertThat(batch.offsets()).containsExactly(12L);
		batch.commit().run();
	}

	/**
	 * The headers of an Event Hubs batch in batch mode with {@code checkpoint.mode:
	 * MANUAL}: the partition id, the checkpointer and the last enqueued event properties
	 * from the inbound adapter, one list per system property from the batch converter.
	 */
	private static Message<List<byte[]>> eventHubsBatch(String partitionId, List<Long> sequenceNumbers,
			Checkpointer checkpointer) {
		int size = sequenceNumbers.size();
		String[] texts = new String[size];
		List<Long> byteOffsets = new ArrayList<>();
		List<Instant> enqueued = new ArrayList<>();
		List<String> partitionKeys = new ArrayList<>();
		List<Map<String, Object>> systemProperties = new ArrayList<>();
		List<Map<String, Object>> applicationProperties = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			texts[i] = String.valueOf((char) ('a' + i));
			// Byte offsets differ from sequence numbers, as they do on the service.
			byteOffsets.add(4096L + 128L * sequenceNumbers.get(i));
			enqueued.add(Instant.parse("2026-12-01T00:00:00Z").plusMillis(i));
			partitionKeys.add("sensor-" + i);
			systemProperties.add(new HashMap<>(Map.of("x-opt-sequence-number", sequenceNumbers.get(i))));
			applicationProperties.add(new HashMap<>());
		}
		return MessageBuilder.withPayload(payloads(texts))
			.setHeader(AzureHeaders.RAW_PARTITION_ID, partitionId)
			.setHeader(AzureHeaders.CHECKPOINTER, checkpointer)
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_ENQUEUED_TIME, enqueued)
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_OFFSET, byteOffsets)
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_SEQUENCE_NUMBER, sequenceNumbers)
			.setHeader(AzureHeaders.BATCH_CONVERTED_PARTITION_KEY, partitionKeys)
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_SYSTEM_PROPERTIES, systemProperties)
			.setHeader(EventHubsHeaders.BATCH_CONVERTED_APPLICATION_PROPERTIES, applicationProperties)
			.build();
	}

	/** A Kafka batch: one partition (Integer) and one offset (Long) per record. */
	private static Message<List<byte[]>> kafkaBatch(List<Integer> partitions, List<Long> offsets,
			Acknowledgment acknowledgment) {
		String[] texts = new String[partitions.size()];
		for (int i = 0; i < texts.length; i++) {
			texts[i] = String.valueOf((char) ('a' + i));
		}
		return MessageBuilder.withPayload(payloads(texts))
			.setHeader(KafkaHeaders.RECEIVED_PARTITION, partitions)
			.setHeader(KafkaHeaders.OFFSET, offsets)
			.setHeader(KafkaHeaders.RECEIVED_TOPIC, Collections.nCopies(texts.length, "telemetry-raw"))
			.setHeader(KafkaHeaders.ACKNOWLEDGMENT, acknowledgment)
			.build();
	}

	private static List<byte[]> payloads(String... texts) {
		return Arrays.stream(texts).map((text) -> text.getBytes(StandardCharsets.UTF_8)).toList();
	}

	private static String text(byte[] payload) {
		return new String(payload, StandardCharsets.UTF_8);
	}

	/**
	 * Counts checkpoints when they happen, that is when the returned {@link Mono} is
	 * subscribed, as the binder's own checkpointer does.
	 */
	private static final class CountingCheckpointer implements Checkpointer {

		private final AtomicInteger successes = new AtomicInteger();

		private final AtomicInteger failures = new AtomicInteger();

		@Override
		public Mono<Void> success() {
			return Mono.fromRunnable(this.successes::incrementAndGet);
		}

		@Override
		public Mono<Void> failure() {
			return Mono.fromRunnable(this.failures::incrementAndGet);
		}

	}

	private static final class CountingAcknowledgment implements Acknowledgment {

		private final AtomicInteger acknowledged = new AtomicInteger();

		@Override
		public void acknowledge() {
			this.acknowledged.incrementAndGet();
		}

	}

}
