package io.millrace.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.models.SendOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.checkpoint.PartitionCheckpoint;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.Outputs;
import io.millrace.runtime.operator.PartitionOutputs;
import io.millrace.runtime.task.StreamTask;
import io.millrace.runtime.task.TaskListener;
import io.millrace.storage.LocalDirectoryObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.azure.EventHubsEmulatorContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Event Hubs binder (AMQP, batch mode, {@code checkpoint.mode: MANUAL}) feeding a
 * streaming-runtime task, against the Event Hubs emulator and Azurite in containers: a
 * minimal Spring Boot application (below) runs a {@link StreamTask} over a counting
 * operator with its checkpoints in a local directory, wired by
 * {@link StreamingRuntimeConfiguration} exactly as a service is. Events sent to both
 * partitions of {@code telemetry-raw} must reach the operator with their own partition id
 * and sequence number, the runtime must checkpoint each partition at the sequence number
 * after its last event, the binder's own Blob checkpoint must follow (the batch commit
 * calls the binder's {@code Checkpointer}), and a restarted application must resume from
 * both without handing an event to the operator twice.
 * <p>
 * <strong>This test has never run on the machine it was written on</strong>: there is no
 * Docker engine there, so it was only compiled and seen to skip. Where Docker runs, it
 * pulls {@code mcr.microsoft.com/azure-messaging/eventhubs-emulator} and
 * {@code mcr.microsoft.com/azure-storage/azurite} and runs; expect the first run to need
 * fixes. Skipped without Docker ({@code disabledWithoutDocker}), and never the only test
 * of this path: {@link BinderBatchesTests} and {@link InboundMessagesTests} check the
 * header mapping without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class EventHubsEmulatorIntegrationTests {

	static final String EVENT_HUB = "telemetry-raw";

	static final String CONSUMER_GROUP = "millrace-it";

	static final String INPUT_BINDING = "countTelemetry-in-0";

	static final String BINDER_CHECKPOINT_CONTAINER = "binder-checkpoints";

	static final String RUNTIME_CHECKPOINT_PREFIX = "it/" + CONSUMER_GROUP + "/" + EVENT_HUB;

	/** The emulator's namespace name is fixed; the hub and the group are ours. */
	private static final String EMULATOR_CONFIG = """
			{
			  "UserConfig": {
			    "NamespaceConfig": [
			      {
			        "Type": "EventHub",
			        "Name": "emulatorNs1",
			        "Entities": [
			          {
			            "Name": "%s",
			            "PartitionCount": "2",
			            "ConsumerGroups": [ { "Name": "%s" } ]
			          }
			        ]
			      }
			    ],
			    "LoggingConfig": { "Type": "File" }
			  }
			}
			""".formatted(EVENT_HUB, CONSUMER_GROUP);

	private static final Network network = Network.newNetwork();

	@Container
	static final AzuriteContainer azurite = new AzuriteContainer("mcr.microsoft.com/azure-storage/azurite:3.33.0")
		.withNetwork(network);

	@Container
	static final EventHubsEmulatorContainer emulator = new EventHubsEmulatorContainer(
			"mcr.microsoft.com/azure-messaging/eventhubs-emulator:2.0.1")
		.acceptLicense()
		.withNetwork(network)
		.withConfig(Transferable.of(EMULATOR_CONFIG))
		.withAzuriteContainer(azurite);

	@TempDir
	Path checkpointDirectory;

	@AfterAll
	static void closeNetwork() {
		network.close();
	}

	@Test
	void eventsOfBothPartitionsAreProcessedWithTheirSequenceNumbersAndCheckpointedThroughTheRuntime() {
		Map<String, List<String>> sent = new HashMap<>();
		Map<String, Long> lastSequenceNumber = new HashMap<>();
		try (EventHubProducerClient producer = producer()) {
			sent.put("0", send(producer, "0", 10));
			sent.put("1", send(producer, "1", 7));
			lastSequenceNumber.put("0", producer.getPartitionProperties("0").getLastEnqueuedSequenceNumber());
			lastSequenceNumber.put("1", producer.getPartitionProperties("1").getLastEnqueuedSequenceNumber());
		}

		try (ConfigurableApplicationContext first = start()) {
			CountingOperator operator = first.getBean(CountingOperator.class);
			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				for (String partition : List.of("0", "1")) {
					long last = lastSequenceNumber.get(partition);
					long firstSequenceNumber = last - sent.get(partition).size() + 1;
					assertThat(operator.values(partition)).as("payloads of partition %s", partition)
						.containsExactlyElementsOf(sent.get(partition));
					assertThat(operator.sequenceNumbers(partition)).as("sequence numbers of partition %s", partition)
						.containsExactlyElementsOf(LongStream.rangeClosed(firstSequenceNumber, last).boxed().toList());
				}
			});
			assertThat(operator.partitionsSeen()).containsOnly("0", "1");

			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				for (String partition : List.of("0", "1")) {
					PartitionCheckpoint checkpoint = runtimeCheckpoints().load(partition).orElseThrow().checkpoint();
					assertThat(checkpoint.nextOffset()).as("runtime checkpoint of partition %s", partition)
						.isEqualTo(lastSequenceNumber.get(partition) + 1);
					assertThat(ByteBuffer.wrap(checkpoint.state()).getLong())
						.as("operator state in the checkpoint of partition %s", partition)
						.isEqualTo(sent.get(partition).size());
					assertThat(binderCheckpoints()).as("the binder's Blob checkpoint, set by the batch commit")
						.containsEntry(partition, lastSequenceNumber.get(partition));
				}
			});
		}

		List<String> more;
		long lastBeforeRestart = lastSequenceNumber.get("0");
		try (EventHubProducerClient producer = producer()) {
			more = send(producer, "0", 3);
		}
		try (ConfigurableApplicationContext second = start()) {
			CountingOperator operator = second.getBean(CountingOperator.class);
			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				assertThat(operator.values("0")).as("only what came after the checkpoint reaches the operator again")
					.containsExactlyElementsOf(more);
				assertThat(operator.sequenceNumbers("0")).containsExactly(lastBeforeRestart + 1, lastBeforeRestart + 2,
						lastBeforeRestart + 3);
				assertThat(runtimeCheckpoints().load("0").orElseThrow().checkpoint().nextOffset())
					.isEqualTo(lastBeforeRestart + 4);
			});
			assertThat(operator.values("1")).as("partition 1 had nothing new").isEmpty();
			assertThat(operator.count("0")).as("restored from the runtime checkpoint, then counted on")
				.isEqualTo(sent.get("0").size() + more.size());
		}
	}

	private ConfigurableApplicationContext start() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("test.checkpoint-directory", this.checkpointDirectory.toString());
		properties.put("spring.cloud.function.definition", "countTelemetry");
		properties.put("spring.cloud.stream.default-binder", "eventhubs");
		String binding = "spring.cloud.stream.bindings." + INPUT_BINDING;
		properties.put(binding + ".destination", EVENT_HUB);
		properties.put(binding + ".group", CONSUMER_GROUP);
		properties.put(binding + ".content-type", "application/octet-stream");
		properties.put(binding + ".consumer.batch-mode", "true");
		properties.put(binding + ".consumer.max-attempts", "1");
		String consumer = "spring.cloud.stream.eventhubs.bindings." + INPUT_BINDING + ".consumer";
		properties.put(consumer + ".checkpoint.mode", "MANUAL");
		properties.put(consumer + ".batch.max-size", "5");
		properties.put(consumer + ".batch.max-wait-time", "1s");
		// Without a checkpoint the processor starts at the end of each partition; the
		// events are sent before the application starts.
		properties.put(consumer + ".initial-partition-event-position.0.offset", "earliest");
		properties.put(consumer + ".initial-partition-event-position.1.offset", "earliest");
		// The restarted application must not wait two minutes for the first one's claims.
		properties.put(consumer + ".load-balancing.strategy", "GREEDY");
		properties.put(consumer + ".load-balancing.update-interval", "2s");
		properties.put(consumer + ".load-balancing.partition-ownership-expiration-interval", "6s");
		properties.put("spring.cloud.azure.eventhubs.connection-string", emulator.getConnectionString());
		String checkpointStore = "spring.cloud.azure.eventhubs.processor.checkpoint-store";
		properties.put(checkpointStore + ".connection-string", azurite.getConnectionString());
		// Spring Cloud Azure creates the Blob checkpoint store only when both the
		// container name and the account name are set, even with a connection string.
		properties.put(checkpointStore + ".account-name", "devstoreaccount1");
		properties.put(checkpointStore + ".container-name", BINDER_CHECKPOINT_CONTAINER);
		properties.put(checkpointStore + ".create-container-if-not-exists", "true");
		properties.put("millrace.runtime.tick-interval", "200ms");
		return new SpringApplicationBuilder(CountingApplication.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
	}

	private static EventHubProducerClient producer() {
		return new EventHubClientBuilder().connectionString(emulator.getConnectionString(), EVENT_HUB)
			.buildProducerClient();
	}

	private static List<String> send(EventHubProducerClient producer, String partitionId, int count) {
		List<String> values = new ArrayList<>();
		List<EventData> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String value = "p" + partitionId + "-" + System.nanoTime() + "-" + i;
			values.add(value);
			events.add(new EventData(value.getBytes(StandardCharsets.UTF_8)));
		}
		producer.send(events, new SendOptions().setPartitionId(partitionId));
		return values;
	}

	private CheckpointStore runtimeCheckpoints() {
		return new CheckpointStore(new LocalDirectoryObjectStore(this.checkpointDirectory), RUNTIME_CHECKPOINT_PREFIX);
	}

	/**
	 * The binder's checkpoints as {@code BlobCheckpointStore} writes them: a blob
	 * {@code <namespace>/<event hub>/<consumer group>/checkpoint/<partition>} whose
	 * metadata holds the sequence number.
	 * @return the checkpointed sequence number of each partition
	 */
	private static Map<String, Long> binderCheckpoints() {
		BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.getConnectionString())
			.buildClient()
			.getBlobContainerClient(BINDER_CHECKPOINT_CONTAINER);
		Map<String, Long> sequenceNumbers = new HashMap<>();
		ListBlobsOptions options = new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveMetadata(true));
		for (BlobItem blob : container.listBlobs(options, null)) {
			String name = blob.getName();
			String sequenceNumber = (blob.getMetadata() != null) ? blob.getMetadata().get("sequencenumber") : null;
			if (name.contains("/checkpoint/") && sequenceNumber != null) {
				sequenceNumbers.put(name.substring(name.lastIndexOf('/') + 1), Long.parseLong(sequenceNumber));
			}
		}
		return sequenceNumbers;
	}

	/**
	 * The smallest service: one task over the counting operator, fed by the Event Hubs
	 * binder, checkpointed in a local directory.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CountingApplication {

		private static final Decoder<String> TEXT = (payload) -> Decoded
			.valid(new String(payload, StandardCharsets.UTF_8));

		@Bean
		CountingOperator countingOperator() {
			return new CountingOperator();
		}

		@Bean
		StreamTask<String> countingTask(CountingOperator countingOperator, BindingOutputSink sink,
				@Value("${test.checkpoint-directory}") Path directory) {
			return new StreamTask<>(new StreamTask.Settings(EVENT_HUB, Duration.ofMillis(500), Duration.ofSeconds(10)),
					TEXT, countingOperator,
					new CheckpointStore(new LocalDirectoryObjectStore(directory), RUNTIME_CHECKPOINT_PREFIX), sink,
					TaskListener.NONE, Clock.systemUTC());
		}

		@Bean
		Consumer<Message<?>> countTelemetry(StreamTask<String> countingTask) {
			return TaskConsumers.batches(countingTask);
		}

		@Bean
		TaskBinding countingTaskBinding(StreamTask<String> countingTask) {
			return new TaskBinding(INPUT_BINDING, countingTask);
		}

	}

	/**
	 * Counts records per partition (its checkpointed state) and remembers, for the test,
	 * every value and sequence number it was handed. Produces nothing.
	 */
	static final class CountingOperator implements Operator<String> {

		private final Map<String, Long> counts = new ConcurrentHashMap<>();

		private final Map<String, List<String>> values = new ConcurrentHashMap<>();

		private final Map<String, List<Long>> sequenceNumbers = new ConcurrentHashMap<>();

		@Override
		public void process(InputRecord<String> record, Outputs out) {
			this.counts.merge(record.partition(), 1L, Long::sum);
			this.values.computeIfAbsent(record.partition(), (partition) -> new CopyOnWriteArrayList<>())
				.add(record.value());
			this.sequenceNumbers.computeIfAbsent(record.partition(), (partition) -> new CopyOnWriteArrayList<>())
				.add(record.offset());
		}

		@Override
		public void onTimer(long now, PartitionOutputs out) {
		}

		@Override
		public byte[] snapshot(String partition) {
			return ByteBuffer.allocate(Long.BYTES).putLong(this.counts.getOrDefault(partition, 0L)).array();
		}

		@Override
		public void restore(String partition, byte[] state) {
			this.counts.put(partition, ByteBuffer.wrap(state).getLong());
		}

		@Override
		public void release(String partition) {
			this.counts.remove(partition);
		}

		long count(String partition) {
			return this.counts.getOrDefault(partition, 0L);
		}

		List<String> values(String partition) {
			return List.copyOf(this.values.getOrDefault(partition, List.of()));
		}

		List<Long> sequenceNumbers(String partition) {
			return List.copyOf(this.sequenceNumbers.getOrDefault(partition, List.of()));
		}

		List<String> partitionsSeen() {
			return List.copyOf(this.values.keySet());
		}

	}

}
