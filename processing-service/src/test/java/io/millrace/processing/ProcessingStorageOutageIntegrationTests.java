package io.millrace.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.ServiceProcess;
import io.millrace.local.TopicClient;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.storage.azure.AzuriteServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoint storage (Azurite) goes down under two processing-service instances, one is
 * killed, and its partition moves to the other while storage is still down: the survivor
 * cannot read the partition's checkpoint, so it holds the input (readiness names the
 * failing binding, the failures are counted) instead of skipping the batch; once storage
 * is back every event is counted exactly once.
 */
class ProcessingStorageOutageIntegrationTests {

	private static final int EVENTS = 1000;

	private static final int SENSORS = 10;

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private final Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));

	@Test
	void aNewInstanceHoldsItsInputUntilCheckpointsCanBeReadAndLosesNothing() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "storage-outage-test"))
			.resolve(String.valueOf(System.currentTimeMillis()));
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(Map.of(Topics.TELEMETRY_RAW, 2));
				TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			ProcessingScenario scenario = new ProcessingScenario(work, broker.bootstrapServers(), "storage-outage",
					Map.of("millrace.storage.type", "azure-blob", "millrace.storage.azure.connection-string",
							azurite.connectionString(), "millrace.storage.azure.container", "storage-outage",
							// A failing storage request holds the input for at most ~5 s.
							"millrace.storage.azure.max-tries", "1", "millrace.storage.azure.try-timeout", "5s"));
			try {
				ServiceProcess first = scenario.launch(1);
				first.awaitReady(Duration.ofSeconds(120));
				write(topics, 0, EVENTS / 2);
				scenario.awaitCaughtUp(Duration.ofSeconds(60));
				// Storage must answer when a service starts (it makes sure the container
				// exists); afterwards it may go away.
				ServiceProcess second = scenario.launch(2);
				second.awaitReady(Duration.ofSeconds(120));
				// Ready is not yet in the group: storage goes away only once both own a
				// partition (else the rebalance, not the kill, meets the outage).
				Awaitility.await("both instances owning a partition")
					.atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> scenario.logOf(2).contains("Assigned partitions [")
							&& scenario.committedAtLeast(scenario.endOffsets()));
				Thread.sleep(2000);

				azurite.stop();
				try {
					write(topics, EVENTS / 2, EVENTS);
					Awaitility.await("a checkpoint failing on the stopped storage")
						.atMost(Duration.ofSeconds(90))
						.pollInterval(Duration.ofMillis(500))
						.until(() -> scenario.logOf(1).contains("Could not write the checkpoint"));
					// Processed, never checkpointed: lost with the instance. Its
					// partition
					// moves to the second, which cannot read the partition's checkpoint.
					first.kill();
					Awaitility.await("the second instance holding its input on the unreadable checkpoint")
						.atMost(Duration.ofSeconds(120))
						.pollInterval(Duration.ofMillis(500))
						.until(() -> holdsInput(second));
					HttpResponse<String> readiness = LocalHttp
						.get(second.managementUrl() + "/actuator/health/readiness");
					assertThat(readiness.statusCode()).isEqualTo(503);
					assertThat(readiness.body()).contains("processTelemetry-in-0").contains("failingSince");
					assertThat(LocalHttp.get(second.managementUrl() + "/actuator/prometheus").body())
						.containsPattern("millrace_processing_batch_failures_total\\{[^}]*\\} [1-9]")
						.containsPattern("millrace_processing_input_stalled_seconds\\{[^}]*\\} (0\\.0*)?[1-9]");
					assertThat(scenario.logOf(2)).contains("the input waits and the same batch is tried again");
				}
				finally {
					azurite.start();
				}

				second.awaitReady(Duration.ofSeconds(120));
				scenario.awaitCaughtUp(Duration.ofSeconds(120));
				Map<String, Long> expected = expectedCounts();
				Awaitility.await("every event counted exactly once")
					.atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofSeconds(1))
					.untilAsserted(() -> assertThat(latestCounts(topics, scenario)).isEqualTo(expected));
				assertThat(scenario.logOf(2)).contains("the input runs again");
			}
			finally {
				scenario.stopAll();
			}
		}
	}

	private static boolean holdsInput(ServiceProcess service) {
		try {
			HttpResponse<String> readiness = LocalHttp.get(service.managementUrl() + "/actuator/health/readiness");
			return readiness.statusCode() == 503 && readiness.body().contains("\"failure\"");
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	private void write(TopicClient topics, int from, int to) {
		for (int i = from; i < to; i++) {
			String sensor = "sensor-" + (i % SENSORS);
			String json = "{\"eventId\":\"so" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time(i)
					+ "\",\"value\":" + (i % 50) + "}";
			topics.send(Topics.TELEMETRY_RAW, sensor, json.getBytes(StandardCharsets.UTF_8));
		}
	}

	private Instant time(int i) {
		return this.base.plusMillis(100L * i);
	}

	/** Events per one-minute tumbling window of each sensor. */
	private Map<String, Long> expectedCounts() {
		Map<String, Long> counts = new TreeMap<>();
		for (int i = 0; i < EVENTS; i++) {
			Instant start = time(i).truncatedTo(ChronoUnit.MINUTES);
			counts.merge("sensor-" + (i % SENSORS) + "|" + start, 1L, Long::sum);
		}
		return counts;
	}

	/** The count of each tumbling window's latest result. */
	private static Map<String, Long> latestCounts(TopicClient topics, ProcessingScenario scenario) {
		List<Integer> sizes = new ArrayList<>();
		List<ConsumerRecord<byte[], byte[]>> records = topics.readUntil(scenario.name + "-aggregates", (read) -> {
			sizes.add(read.size());
			return sizes.size() > 6 && sizes.get(sizes.size() - 4).equals(read.size());
		}, Duration.ofSeconds(30));
		Map<String, Long> revisions = new HashMap<>();
		Map<String, Long> counts = new TreeMap<>();
		for (ConsumerRecord<byte[], byte[]> record : records) {
			JsonNode aggregate = tree(record.value());
			JsonNode window = aggregate.get("window");
			if (!window.get("kind").asText().equals("tumbling")) {
				continue;
			}
			String key = aggregate.get("sensorId").asText() + "|" + Instant.parse(window.get("start").asText());
			long revision = aggregate.get("revision").asLong();
			if (revision >= revisions.getOrDefault(key, -1L)) {
				revisions.put(key, revision);
				counts.put(key, aggregate.get("count").asLong());
			}
		}
		return counts;
	}

	private static JsonNode tree(byte[] json) {
		try {
			return MillraceJson.mapper().readTree(json);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
