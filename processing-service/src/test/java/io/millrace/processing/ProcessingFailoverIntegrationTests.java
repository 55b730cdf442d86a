package io.millrace.processing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a partition stands still when its instance dies: two instances share the input
 * while events keep arriving, one is killed with SIGKILL, and the clock runs until every
 * partition's committed offset has passed where the input ended at the kill — so the
 * killed instance's partitions have been taken over, restored from their checkpoints,
 * processed and checkpointed again. Required: within 10 s, with the service's own
 * consumer settings (no test overrides of the session timeout).
 */
class ProcessingFailoverIntegrationTests {

	private static final int PARTITIONS = 4;

	static Path work;

	static KafkaKraftBroker broker;

	@BeforeAll
	static void startBroker() throws Exception {
		work = Files.createDirectories(Path.of("target", "failover-test"))
			.resolve(String.valueOf(System.currentTimeMillis()));
		broker = KafkaKraftBroker.startTemporary(Map.of(Topics.TELEMETRY_RAW, PARTITIONS));
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void aKilledInstancesPartitionsMakeProgressAgainWithinTenSeconds() throws Exception {
		ProcessingScenario group = new ProcessingScenario(work, broker.bootstrapServers(), "failover");
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = new Thread(() -> writeUntilStopped(writing), "failover-writer");
		try {
			ServiceProcess first = group.launch(1);
			ServiceProcess second = group.launch(2);
			first.awaitReady(Duration.ofSeconds(120));
			second.awaitReady(Duration.ofSeconds(120));
			writer.start();
			// Both members own partitions and every partition is moving.
			Awaitility.await("both members consuming")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> group.logOf(1).contains("Assigned partitions [")
						&& group.logOf(2).contains("Assigned partitions [") && everyPartitionCommitted(group));
			Thread.sleep(2000);

			long killed = System.nanoTime();
			first.kill();
			// Offsets written after the kill: only a survivor can commit past them (ends
			// read before the kill could be committed by the killed instance itself in
			// its
			// last second, and nothing would have been measured).
			Thread.sleep(500);
			Map<TopicPartition, Long> endAfterKill = group.endOffsets();
			Awaitility.await("every partition past its end half a second after the kill")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> group.committedAtLeast(endAfterKill));
			Duration stood = Duration.ofNanos(System.nanoTime() - killed);
			System.out.printf("Failover: partitions of the killed instance made progress again after %d ms%n",
					stood.toMillis());

			assertThat(group.logOf(2)).as("the survivor restored the killed member's partitions")
				.contains("Restored partition");
			assertThat(stood).as("time from SIGKILL until every partition made progress again")
				.isLessThanOrEqualTo(Duration.ofSeconds(10));
		}
		finally {
			writing.set(false);
			writer.join(10_000);
			group.stopAll();
		}
	}

	private static boolean everyPartitionCommitted(ProcessingScenario group) {
		return group.committedOffsets().keySet().size() == PARTITIONS;
	}

	/** About 500 events a second over 40 sensors, event time following the clock. */
	private static void writeUntilStopped(AtomicBoolean writing) {
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			long i = 0;
			while (writing.get()) {
				String sensor = "sensor-" + (i % 40);
				String json = "{\"eventId\":\"f" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\""
						+ Instant.now() + "\",\"value\":" + (i % 100) + "}";
				producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, sensor.getBytes(StandardCharsets.UTF_8),
						json.getBytes(StandardCharsets.UTF_8)));
				i++;
				if (i % 50 == 0) {
					Thread.sleep(100);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
