package io.millrace.lakehouse.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.TopicClient;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.local.TopicClient.header;
import static io.millrace.local.TopicClient.key;
import static io.millrace.local.TopicClient.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay against a real Kafka broker: events go into Bronze through
 * {@code telemetry-raw}, then {@code POST /api/v1/replays} publishes a range of them to
 * another topic, read back with a plain consumer and compared with the Bronze rows of the
 * range.
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.lakehouse.commit.interval=500ms",
				"millrace.lakehouse.replay.allowed-topics=telemetry-raw,telemetry-replay,telemetry-replay-cancel" })
class ReplayIntegrationTests {

	static final String REPLAY_TOPIC = "telemetry-replay";

	static final KafkaKraftBroker broker = KafkaKraftBroker
		.startTemporary(Map.of(Topics.TELEMETRY_RAW, 3, Topics.TELEMETRY_AGGREGATES, 1, Topics.TELEMETRY_DEADLETTER, 1,
				REPLAY_TOPIC, 3, "telemetry-replay-cancel", 1));

	static final Path root = temporaryDirectory();

	static final ObjectMapper JSON = new ObjectMapper();

	static final String ADMIN = "mr_test-admin-key";

	static final String READER = "mr_test-reader-key";

	/** Three days of events, every 3 minutes for 40 sensors in turn. */
	static final Instant T0 = Instant.parse("2026-04-01T20:00:00Z");

	static final int EVENTS = 1500;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.lakehouse.root", root::toString);
		ApiKeyFixture.register(registry, 0, "operator", ADMIN, "admin");
		ApiKeyFixture.register(registry, 1, "dashboard", READER, "read");
	}

	private static boolean eventsSent;

	/**
	 * Once, from the first test: the application (started with the test instance, after
	 * any {@code @BeforeAll}) must be consuming for Bronze to fill.
	 */
	static synchronized void eventsInBronze() {
		if (eventsSent) {
			return;
		}
		eventsSent = true;
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < EVENTS; i++) {
				String sensor = "replay-" + (i % 40);
				Instant time = T0.plusSeconds(180L * i);
				String json = (i % 2 == 0)
						? "{\"eventId\":\"r" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
								+ "\",\"value\":" + (i / 4.0) + ",\"tags\":{\"site\":\"s" + (i % 3)
								+ "\"},\"schemaVersion\":1,\"ingestedAt\":\"" + time.plusMillis(250)
								+ "\",\"firmware\":\"v" + (i % 5) + "\"}"
						: "{\"event_id\":\"r" + i + "\",\"sensor_id\":\"" + sensor + "\",\"timestamp\":\"" + time
								+ "\",\"measurements\":{\"temperature\":" + (i / 10.0) + ",\"humidity\":" + (i % 100)
								+ "}}";
				producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, sensor.getBytes(StandardCharsets.UTF_8),
						json.getBytes(StandardCharsets.UTF_8)));
			}
		}
		await("Bronze holds every event").atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> bronzeRows().size() >= EVENTS);
	}

	@AfterAll
	static void stopBroker(@Autowired ConfigurableApplicationContext application) {
		application.stop();
		broker.close();
	}

	static List<Map<String, Object>> bronzeRows() {
		try {
			return new KernelTableReader(root.resolve(BronzeTable.NAME)).rows();
		}
		catch (RuntimeException ex) {
			// Not created yet.
			return List.of();
		}
	}

	@Test
	void aReplayPublishesTheBronzeRowsOfItsRangeWithTheirIdsAtItsRate() throws Exception {
		eventsInBronze();
		Instant from = Instant.parse("2026-04-02T03:00:00Z");
		Instant to = Instant.parse("2026-04-03T05:00:00Z");
		int rate = 50;
		Map<String, Map<String, Object>> expected = bronzeRows().stream()
			.filter((row) -> (Long) row.get("event_time") >= Timestamps.micros(from)
					&& (Long) row.get("event_time") < Timestamps.micros(to))
			.filter((row) -> ((String) row.get("sensor_id")).matches("replay-1\\d|replay-2"))
			.collect(Collectors.toMap((row) -> (String) row.get("event_id"), (row) -> row));
		assertThat(expected).hasSizeBetween(100, 300);

		long started = System.nanoTime();
		HttpResponse<String> created = post("{\"from\":\"" + from + "\",\"to\":\"" + to
				+ "\",\"sensors\":[\"replay-1?\",\"replay-2\"],\"targetTopic\":\"" + REPLAY_TOPIC
				+ "\",\"ratePerSecond\":" + rate + "}", ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
		JsonNode job = JSON.readTree(created.body());
		String id = job.get("id").asText();
		assertThat(created.headers().firstValue("Location")).contains("/api/v1/replays/" + id);

		JsonNode done = await("the replay finishes").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> JSON.readTree(get("/api/v1/replays/" + id, READER).body()),
					(state) -> !state.get("state").asText().matches("queued|running"));
		double elapsed = (System.nanoTime() - started) / 1e9;
		assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
		assertThat(done.get("total").asLong()).isEqualTo(expected.size());
		assertThat(done.get("published").asLong()).isEqualTo(expected.size());
		assertThat(done.get("errors")).isEmpty();
		// The rate: n events at r per second take at least n / r seconds (the bucket
		// starts empty).
		assertThat(elapsed).isGreaterThanOrEqualTo(expected.size() / (double) rate);
		assertThat(done.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(0.95 * expected.size() / rate);

		List<ConsumerRecord<byte[], byte[]>> replayed;
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			replayed = topics.readUntil(REPLAY_TOPIC, (read) -> read.size() >= expected.size(), Duration.ofSeconds(30));
			Thread.sleep(500);
			replayed = topics.readFor(REPLAY_TOPIC, Duration.ofSeconds(2));
		}
		assertThat(replayed).hasSize(expected.size());
		Map<String, JsonNode> byId = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> record : replayed) {
			JsonNode event = JSON.readTree(value(record));
			byId.put(event.get("eventId").asText(), event);
			assertThat(key(record)).isEqualTo(event.get("sensorId").asText());
			assertThat(header(record, "x-millrace-replay-id")).isEqualTo(id);
		}
		assertThat(byId.keySet()).isEqualTo(expected.keySet());
		expected.forEach((eventId, row) -> {
			JsonNode event = byId.get(eventId);
			assertThat(event.get("sensorId").asText()).isEqualTo(row.get("sensor_id"));
			assertThat(Timestamps.micros(Instant.parse(event.get("timestamp").asText())))
				.isEqualTo(row.get("event_time"));
			if (row.get("value") != null) {
				assertThat(event.get("value").asDouble()).isEqualTo(row.get("value"));
				assertThat(event.get("tags").get("site").asText()).isEqualTo(((Map<?, ?>) row.get("tags")).get("site"));
				assertThat(event.get("schemaVersion").asInt()).isEqualTo(1);
				assertThat(Timestamps.micros(Instant.parse(event.get("ingestedAt").asText())))
					.isEqualTo(row.get("ingested_at"));
				// Fields the contract does not name come back as they were sent.
				assertThat("{\"firmware\":\"" + event.get("firmware").asText() + "\"}")
					.isEqualTo(row.get("unknown_fields"));
			}
			else {
				assertThat(event.has("value")).isFalse();
				assertThat(event.get("measurements").get("temperature").asDouble())
					.isEqualTo(((Map<?, ?>) row.get("measurements")).get("temperature"));
			}
		});
		// One sensor's events come in event-time order on its partition.
		Map<String, List<Instant>> timesBySensor = replayed.stream()
			.map((record) -> readTree(value(record)))
			.collect(Collectors.groupingBy((event) -> event.get("sensorId").asText(), Collectors
				.mapping((event) -> Instant.parse(event.get("timestamp").asText()), Collectors.toList())));
		timesBySensor.values().forEach((times) -> assertThat(times).isSorted());

		JsonNode list = JSON.readTree(get("/api/v1/replays", READER).body());
		assertThat(list.get("replays").findValuesAsText("id")).contains(id);
	}

	@Test
	void aCancelledReplayStops() throws Exception {
		eventsInBronze();
		HttpResponse<String> created = post("{\"from\":\"2026-04-01T00:00:00Z\",\"to\":\"2026-04-05T00:00:00Z\","
				+ "\"targetTopic\":\"telemetry-replay-cancel\",\"ratePerSecond\":50}", ADMIN);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
		String id = JSON.readTree(created.body()).get("id").asText();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> JSON.readTree(get("/api/v1/replays/" + id, READER).body()).get("published").asLong() > 0);

		HttpResponse<String> cancelled = send(HttpRequest.newBuilder(uri("/api/v1/replays/" + id)).DELETE(), ADMIN);
		assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
		JsonNode state = await().atMost(Duration.ofSeconds(10))
			.until(() -> JSON.readTree(get("/api/v1/replays/" + id, READER).body()),
					(job) -> job.get("state").asText().equals("cancelled"));
		long published = state.get("published").asLong();
		assertThat(published).isLessThan(state.get("total").asLong()).isLessThan(EVENTS);
		Thread.sleep(1500);
		assertThat(JSON.readTree(get("/api/v1/replays/" + id, READER).body()).get("published").asLong())
			.isEqualTo(published);
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			// What was sent before the cancel (at most one batch more than counted).
			assertThat(topics.readFor("telemetry-replay-cancel", Duration.ofSeconds(2)).size())
				.isBetween((int) published, (int) published + 500);
		}
		HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/api/v1/replays/" + id)).DELETE(), ADMIN);
		assertThat(again.statusCode()).isEqualTo(409);
	}

	@Test
	void badRequestsAreProblemDetails() throws Exception {
		assertProblem(post("{\"from\":\"2026-04-02T00:00:00Z\",\"to\":\"2026-04-01T00:00:00Z\"}", ADMIN), 400,
				"invalid-replay", "to");
		assertProblem(post("{\"to\":\"2026-04-01T00:00:00Z\"}", ADMIN), 400, "invalid-replay", "from");
		assertProblem(post("{\"from\":\"yesterday\",\"to\":\"2026-04-01T00:00:00Z\"}", ADMIN), 400, "invalid-replay",
				null);
		assertProblem(post("{\"from\":\"2026-04-01T00:00:00Z\",\"to\":\"2026-04-02T00:00:00Z\",\"targetTopic\":\""
				+ Topics.TELEMETRY_DEADLETTER + "\"}", ADMIN), 400, "replay-target-refused", "targetTopic");
		assertProblem(post("{\"from\":\"2026-04-01T00:00:00Z\",\"to\":\"2026-04-02T00:00:00Z\",\"targetTopic\":\""
				+ Topics.TELEMETRY_AGGREGATES + "\"}", ADMIN), 400, "unknown-topic", "targetTopic");
		assertProblem(
				post("{\"from\":\"2026-04-01T00:00:00Z\",\"to\":\"2026-04-02T00:00:00Z\",\"ratePerSecond\":0}", ADMIN),
				400, "invalid-replay", "ratePerSecond");
		assertProblem(post("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-04-02T00:00:00Z\"}", ADMIN), 400,
				"invalid-replay", "to");
		assertProblem(get("/api/v1/replays/no-such-replay", READER), 404, "replay-not-found", null);
		// Starting a replay needs admin; reading does not.
		assertThat(post("{\"from\":\"2026-04-01T00:00:00Z\",\"to\":\"2026-04-02T00:00:00Z\"}", READER).statusCode())
			.isEqualTo(403);
		assertThat(get("/api/v1/replays", READER).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get("http://localhost:" + this.port + "/api/v1/replays").statusCode()).isEqualTo(401);
	}

	@Test
	void maintenanceAndReplayMetricsAreExportedFromTheStart() {
		String metrics = LocalHttp.get("http://localhost:" + this.managementPort + "/actuator/prometheus").body();
		for (String table : List.of("telemetry_events", "window_aggregates")) {
			for (String task : List.of("compaction", "checkpoint", "vacuum")) {
				assertThat(metrics)
					.containsPattern("millrace_lakehouse_maintenance_runs_total\\{[^}]*outcome=\"failure\"[^}]*table=\""
							+ table + "\"[^}]*task=\"" + task + "\"")
					.containsPattern("millrace_lakehouse_maintenance_seconds_count\\{[^}]*table=\"" + table
							+ "\"[^}]*task=\"" + task + "\"")
					.containsPattern("millrace_lakehouse_maintenance_last_success_seconds\\{[^}]*table=\"" + table
							+ "\"[^}]*task=\"" + task + "\"");
			}
			for (String name : List.of("compaction_files_removed_total", "compaction_files_added_total",
					"compaction_removed_bytes_total", "compaction_conflicts_total", "checkpoints_written_total",
					"checkpoint_versions_behind", "vacuum_files_deleted_total", "vacuum_deleted_bytes_total",
					"vacuum_young_unreferenced_files")) {
				assertThat(metrics).containsPattern("millrace_lakehouse_" + name + "\\{[^}]*table=\"" + table + "\"");
			}
		}
		for (String state : List.of("succeeded", "failed", "cancelled")) {
			assertThat(metrics).containsPattern("millrace_lakehouse_replays_total\\{[^}]*state=\"" + state + "\"");
		}
		for (String topic : List.of("telemetry-raw", "telemetry-replay")) {
			assertThat(metrics)
				.containsPattern("millrace_lakehouse_replay_events_published_total\\{[^}]*topic=\"" + topic + "\"");
		}
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type, String parameter)
			throws IOException {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("application/problem+json"));
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").asText()).isEqualTo("https://millrace.io/problems/" + type);
		assertThat(problem.get("detail").asText()).isNotBlank();
		if (parameter != null) {
			assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
		}
	}

	private HttpResponse<String> post(String body, String key) {
		return LocalHttp.post("http://localhost:" + this.port + "/api/v1/replays", "application/json", body,
				Map.of("X-API-Key", key));
	}

	private HttpResponse<String> get(String path, String key) {
		return LocalHttp.get("http://localhost:" + this.port + path, Map.of("X-API-Key", key));
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request, String key) throws Exception {
		return HttpClient.newHttpClient()
			.send(request.header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode readTree(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("lakehouse-replay-it");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
