package io.millrace.e2e;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.FreePorts;
import io.millrace.local.LocalApiKey;
import io.millrace.local.LocalHttp;
import io.millrace.local.ServiceProcess;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay for reprocessing, end to end: readings go through the platform into Bronze and,
 * aggregated by processing-service, into Gold; lakehouse-service then replays the range
 * from Bronze to {@code telemetry-replay}, a second processing-service (its own consumer
 * group and checkpoints, reading that topic) reprocesses it, and its final windows are
 * the very ones Gold holds — same windows, counts, sums, minima, maxima and means — and
 * reach Gold too.
 */
@ExtendWith(RunningPlatform.Resolver.class)
class ReplayReprocessingIntegrationTests {

	static RunningPlatform platform;

	@BeforeAll
	static void startPlatform(RunningPlatform running) {
		platform = running;
	}

	@Test
	void aReplayedRangeReprocessedByASecondProcessingServiceGivesTheFinalsGoldHolds() throws Exception {
		String sensor = "e2e-replay-" + UUID.randomUUID();
		// Event time of its own, after every window the other tests' readings closed.
		Instant base = platform.nextEventTimeSlot();
		int[] seconds = { 5, 25, 65, 85, 130 };
		StringBuilder events = new StringBuilder("[");
		for (int i = 0; i < seconds.length; i++) {
			events.append((i > 0) ? "," : "")
				.append("{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"" + base.plusSeconds(seconds[i])
						+ "\", \"measurements\": {\"temperature\": " + (20 + i * 1.5) + "}}");
		}
		assertThat(LocalHttp
			.post(platform.service("ingest-service").apiUrl() + "/api/v1/events", "application/json",
					events.append(']').toString(), key())
			.statusCode()).isEqualTo(202);

		// The original finals, as Gold holds them: the windows [base, +1m) and [+1m,
		// +2m).
		String range = "from=" + base + "&to=" + base.plus(Duration.ofMinutes(2));
		Map<Instant, JsonNode> gold = await("the finals in Gold").atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> windowsByStart(MillraceJson.mapper()
				.readTree(get("lakehouse-service", "/api/v1/history/sensors/" + sensor + "/aggregates?" + range).body())
				.path("windows")), (windows) -> windows.size() == 2);
		assertThat(gold.values()).extracting((w) -> w.path("count").asLong()).containsExactly(2L, 2L);

		Path checkpoints = Files.createTempDirectory("millrace-e2e-replay-checkpoints");
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", platform.broker.bootstrapServers());
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.destination", "telemetry-replay");
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.group", "processing-replay");
		properties.put("millrace.processing.checkpoint.directory", checkpoints.toString());
		properties.put("millrace.processing.max-clock-skew", RunningPlatform.MAX_CLOCK_SKEW);
		properties.putAll(LocalApiKey.apiProperties(platform.apiKey));
		double goldRowsBefore = PlatformEndToEndIntegrationTests.rowsWritten(platform.service("lakehouse-service"),
				"window_aggregates");
		try (ServiceProcess reprocessing = ServiceProcess.launch("processing-service",
				RunningPlatform.REPOSITORY.resolve("processing-service/target/processing-service-exec.jar"),
				FreePorts.next(), FreePorts.next(), properties, ServiceProcess.DEFAULT_JVM_OPTIONS,
				RunningPlatform.LOGS.resolve("processing-replay.log"));
				KafkaConsumer<String, byte[]> aggregates = endOfAggregates()) {
			reprocessing.awaitReady(Duration.ofMinutes(3));

			// Bronze commits on its own interval: replay until the range holds all five
			// readings (a replay twice is harmless: processing dedupes by eventId).
			await("a replay of all five readings").atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> replay(sensor, base, base.plus(Duration.ofMinutes(3))) == seconds.length);

			Map<Instant, WindowAggregate> reprocessed = new TreeMap<>();
			await("the reprocessed finals").atMost(Duration.ofSeconds(120)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : aggregates.poll(Duration.ofMillis(500))) {
					WindowAggregate aggregate = MillraceJson.mapper().readValue(record.value(), WindowAggregate.class);
					if (sensor.equals(aggregate.sensorId()) && aggregate.isFinal()
							&& aggregate.window().start().isBefore(base.plus(Duration.ofMinutes(2)))) {
						reprocessed.put(aggregate.window().start(), aggregate);
					}
				}
				return reprocessed.size() == 2;
			});
			assertThat(reprocessed.keySet()).containsExactlyElementsOf(gold.keySet());
			for (Map.Entry<Instant, WindowAggregate> window : reprocessed.entrySet()) {
				JsonNode original = gold.get(window.getKey());
				WindowAggregate again = window.getValue();
				assertThat(again.window().end().toString()).isEqualTo(original.at("/window/end").asText());
				assertThat(again.count()).isEqualTo(original.path("count").asLong());
				assertThat(again.sum()).isEqualTo(original.path("sum").asDouble());
				assertThat(again.min()).isEqualTo(original.path("min").asDouble());
				assertThat(again.max()).isEqualTo(original.path("max").asDouble());
				assertThat(again.avg()).isEqualTo(original.path("avg").asDouble());
			}
			// ... and the reprocessed finals reached Gold like the originals.
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(PlatformEndToEndIntegrationTests
					.rowsWritten(platform.service("lakehouse-service"), "window_aggregates"))
					.isGreaterThanOrEqualTo(goldRowsBefore + 2));
		}
	}

	/**
	 * Starts a replay of the sensor's range to telemetry-replay; answers how many it
	 * published.
	 */
	private static long replay(String sensor, Instant from, Instant to) throws IOException {
		JsonNode job = MillraceJson.mapper()
			.readTree(LocalHttp.post(platform.service("lakehouse-service").apiUrl() + "/api/v1/replays",
					"application/json", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"sensors\":[\"" + sensor
							+ "\"],\"targetTopic\":\"telemetry-replay\"}",
					key())
				.body());
		String id = job.path("id").asText();
		JsonNode done = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> MillraceJson.mapper().readTree(get("lakehouse-service", "/api/v1/replays/" + id).body()),
					(state) -> !state.path("state").asText().matches("queued|running"));
		assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
		return done.path("published").asLong();
	}

	private static KafkaConsumer<String, byte[]> endOfAggregates() {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker.bootstrapServers());
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
		List<TopicPartition> partitions = new ArrayList<>();
		consumer.partitionsFor(Topics.TELEMETRY_AGGREGATES)
			.forEach((p) -> partitions.add(new TopicPartition(p.topic(), p.partition())));
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		return consumer;
	}

	private static Map<Instant, JsonNode> windowsByStart(JsonNode windows) {
		Map<Instant, JsonNode> byStart = new TreeMap<>();
		for (JsonNode window : windows) {
			byStart.put(Instant.parse(window.at("/window/start").asText()), window);
		}
		return byStart;
	}

	private static Map<String, String> key() {
		return Map.of("X-API-Key", platform.apiKey);
	}

	private static HttpResponse<String> get(String service, String path) {
		return LocalHttp.get(platform.service(service).apiUrl() + path, key());
	}

}
