package io.millrace.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.local.TopicClient.key;
import static org.assertj.core.api.Assertions.assertThat;

/** ingest-service over HTTP, publishing to a real Kafka broker. */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.ingest.max-bytes-per-request=64KB" })
class IngestIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	@Autowired
	BindingService bindings;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		TestApiKeys.register(registry);
	}

	@AfterAll
	static void stopBroker(@Autowired ConfigurableApplicationContext application) {
		// The application's clients stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		broker.close();
	}

	@Test
	void bindsTheTopicsOfThePlatform() {
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(IngestBindings.EXPECTED);
	}

	@Test
	void theSeedsSampleIsAcceptedStampedAndPublishedKeyedBySensor() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		HttpResponse<String> response = post("application/json",
				"{\"sensor_id\": \"" + sensor + "\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}");
		assertThat(response.statusCode()).isEqualTo(202);
		JsonNode body = MillraceJson.mapper().readTree(response.body());
		assertThat(body.get("accepted").asInt()).isEqualTo(1);
		String eventId = body.get("eventIds").get(0).asText();
		assertThat(UUID.fromString(eventId).version()).isEqualTo(7);

		ConsumerRecord<byte[], byte[]> record = recordsOf(sensor, 1).get(0);
		JsonNode published = MillraceJson.mapper().readTree(record.value());
		assertThat(published.get("eventId").asText()).isEqualTo(eventId);
		assertThat(published.get("sensorId").asText()).isEqualTo(sensor);
		assertThat(published.get("value").asDouble()).isEqualTo(42.0);
		assertThat(published.get("timestamp").asText()).isEqualTo("2026-02-05T10:00:00Z");
		assertThat(published.get("schemaVersion").asInt()).isEqualTo(1);
		assertThat(published.has("ingestedAt")).isTrue();
	}

	@Test
	void aBatchIsPublishedInOrderKeepingClientIds() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		String batch = "[{\"eventId\": \"client-1\", \"sensorId\": \"" + sensor
				+ "\", \"timestamp\": \"2026-02-05T10:00:00Z\", \"measurements\": {\"temperature\": 91.5}},"
				+ "{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"2026-02-05T10:00:01Z\", \"value\": 12}]";
		HttpResponse<String> response = post("application/json", batch);
		assertThat(response.statusCode()).isEqualTo(202);
		JsonNode ids = MillraceJson.mapper().readTree(response.body()).get("eventIds");
		assertThat(ids.get(0).asText()).isEqualTo("client-1");
		List<String> published = recordsOf(sensor, 2).stream()
			.map((record) -> new String(record.value(), StandardCharsets.UTF_8))
			.toList();
		assertThat(published.get(0)).contains("client-1", "temperature");
		assertThat(published.get(1)).contains(ids.get(1).asText());
	}

	@Test
	void aStructuredCloudEventIsPublishedWithItsIdAsEventIdAndItsContextKept() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		String cloudEvent = "{\"specversion\": \"1.0\", \"id\": \"ce-" + sensor
				+ "\", \"source\": \"/plants/rotterdam\", \"type\": \"io.millrace.telemetry\", "
				+ "\"time\": \"2026-02-05T10:00:00Z\", \"datacontenttype\": \"application/json\", "
				+ "\"data\": {\"sensorId\": \"" + sensor + "\", \"value\": 7}}";
		HttpResponse<String> response = post("application/cloudevents+json", cloudEvent);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(MillraceJson.mapper().readTree(response.body()).get("eventIds").get(0).asText())
			.isEqualTo("ce-" + sensor);

		JsonNode published = MillraceJson.mapper().readTree(recordsOf(sensor, 1).get(0).value());
		assertThat(published.get("eventId").asText()).isEqualTo("ce-" + sensor);
		assertThat(published.get("timestamp").asText()).isEqualTo("2026-02-05T10:00:00Z");
		assertThat(published.get("value").asDouble()).isEqualTo(7.0);
		assertThat(published.get("cloudEvent").get("source").asText()).isEqualTo("/plants/rotterdam");
		assertThat(published.get("cloudEvent").get("type").asText()).isEqualTo("io.millrace.telemetry");
	}

	@Test
	void aCloudEventsBatchListsEveryBadEnvelopeAndEventAndSkipPublishesTheGoodOnes() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		String good = "{\"specversion\": \"1.0\", \"id\": \"ce-1-" + sensor
				+ "\", \"source\": \"/x\", \"type\": \"t\", \"data\": {\"sensorId\": \"" + sensor
				+ "\", \"timestamp\": \"2026-02-05T10:00:00Z\", \"measurements\": {\"rpm\": 900}}}";
		String badEnvelope = "{\"specversion\": \"0.3\", \"id\": \"ce-2\", \"type\": \"t\", "
				+ "\"data_base64\": \"AAAA\"}";
		String badData = "{\"specversion\": \"1.0\", \"id\": \"ce-3\", \"source\": \"/x\", \"type\": \"t\", "
				+ "\"data\": {\"timestamp\": \"2026-02-05T10:00:00Z\", \"value\": 1}}";
		String batch = "[" + good + "," + badEnvelope + "," + badData + "]";

		HttpResponse<String> rejected = post("application/cloudevents-batch+json", batch);
		assertThat(rejected.statusCode()).isEqualTo(400);
		List<String> pointers = new ArrayList<>();
		MillraceJson.mapper()
			.readTree(rejected.body())
			.get("errors")
			.forEach((error) -> pointers.add(error.get("pointer").asText()));
		assertThat(pointers).containsExactly("/1/specversion", "/1/source", "/1/data_base64", "/2/data/sensorId");

		HttpResponse<String> skipped = send("?invalid=skip", "application/cloudevents-batch+json", null,
				batch.getBytes(StandardCharsets.UTF_8));
		assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(202);
		JsonNode body = MillraceJson.mapper().readTree(skipped.body());
		assertThat(body.get("eventIds").get(0).asText()).isEqualTo("ce-1-" + sensor);
		assertThat(body.get("indexes").get(0).asInt()).isZero();
		assertThat(recordsOf(sensor, 1)).hasSize(1);

		HttpResponse<String> notAnArray = post("application/cloudevents-batch+json", good);
		assertThat(notAnArray.statusCode()).isEqualTo(400);
		assertThat(notAnArray.body()).contains("malformed-json", "JSON array of CloudEvents");
	}

	@Test
	void anInvalidEventGetsAProblemNamingTheFieldAndNothingIsPublished() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		HttpResponse<String> response = post("application/json",
				"[{\"sensorId\": \"" + sensor
						+ "\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}, {\"sensorId\": \"" + sensor
						+ "\", \"value\": 1}]");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = MillraceJson.mapper().readTree(response.body());
		assertThat(problem.get("type").asText()).isEqualTo("https://millrace.io/problems/invalid-event");
		assertThat(problem.get("detail").asText()).contains("/1/timestamp");
		assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/1/timestamp");
		assertThat(this.topics.readFor(Topics.TELEMETRY_RAW, Duration.ofSeconds(3)))
			.noneMatch((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(sensor));
	}

	@Test
	void unknownFieldsAreKeptAndKnownOnesWrittenCanonically() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		HttpResponse<String> response = post("application/json", "{\"sensor_id\": \"" + sensor
				+ "\", \"value\": 5, \"timestamp\": \"2026-02-05T10:00:00Z\", \"firmware\": {\"version\": \"1.2.3\"}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode published = MillraceJson.mapper().readTree(recordsOf(sensor, 1).get(0).value());
		assertThat(published.get("sensorId").asText()).isEqualTo(sensor);
		assertThat(published.has("sensor_id")).isFalse();
		assertThat(published.get("firmware").get("version").asText()).isEqualTo("1.2.3");
		assertThat(published.has("ingestedAt")).isTrue();
	}

	@Test
	void gzippedNdjsonIsPublishedInOrder() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		StringBuilder ndjson = new StringBuilder();
		for (int i = 0; i < 3; i++) {
			ndjson.append("{\"sensorId\": \"")
				.append(sensor)
				.append("\", \"timestamp\": \"2026-02-05T10:00:0")
				.append(i)
				.append("Z\", \"value\": ")
				.append(i)
				.append("}\n");
		}
		HttpResponse<String> response = send("", "application/x-ndjson", "gzip", gzip(ndjson.toString()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(MillraceJson.mapper().readTree(response.body()).get("accepted").asInt()).isEqualTo(3);
		assertThat(recordsOf(sensor, 3)).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
			.satisfiesExactly((first) -> assertThat(first).contains("\"value\":0"),
					(second) -> assertThat(second).contains("\"value\":1"),
					(third) -> assertThat(third).contains("\"value\":2"));
	}

	@Test
	void withInvalidSkipTheGoodEventsArePublishedAndTheBadOnesListed() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		String batch = "[{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"2026-02-05T10:00:00Z\", \"value\": 1},"
				+ "{\"sensorId\": \"" + sensor + "\", \"value\": 2}," + "{\"sensorId\": \"" + sensor
				+ "\", \"timestamp\": \"2026-02-05T10:00:02Z\", \"value\": 3}]";
		HttpResponse<String> response = send("?invalid=skip", "application/json", null,
				batch.getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode body = MillraceJson.mapper().readTree(response.body());
		assertThat(body.get("accepted").asInt()).isEqualTo(2);
		assertThat(body.get("indexes").toString()).isEqualTo("[0,2]");
		assertThat(body.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
		assertThat(body.get("rejected").get(0).get("pointer").asText()).isEqualTo("/1/timestamp");
		assertThat(recordsOf(sensor, 2))
			.noneMatch((record) -> new String(record.value(), StandardCharsets.UTF_8).contains("\"value\":2"));
		HttpResponse<String> unknown = send("?invalid=maybe", "application/json", null,
				batch.getBytes(StandardCharsets.UTF_8));
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("https://millrace.io/problems/invalid-parameter");
	}

	@Test
	void oversizedBrokenGzipAndUnknownEncodingsAreProblems() throws Exception {
		String sensor = "s-" + UUID.randomUUID();
		StringBuilder big = new StringBuilder("[");
		while (big.length() < 70_000) {
			big.append("{\"sensorId\": \"")
				.append(sensor)
				.append("\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"},");
		}
		big.setCharAt(big.length() - 1, ']');
		HttpResponse<String> tooLarge = send("", "application/json", "gzip", gzip(big.toString()));
		assertThat(tooLarge.statusCode()).as("64 KB after decompression, though the gzip is small").isEqualTo(413);
		assertThat(tooLarge.body()).contains("https://millrace.io/problems/request-too-large");
		HttpResponse<String> notGzip = send("", "application/json", "gzip", "{}".getBytes(StandardCharsets.UTF_8));
		assertThat(notGzip.statusCode()).isEqualTo(400);
		assertThat(notGzip.body()).contains("https://millrace.io/problems/malformed-json");
		HttpResponse<String> brotli = send("", "application/json", "br", "{}".getBytes(StandardCharsets.UTF_8));
		assertThat(brotli.statusCode()).isEqualTo(415);
		assertThat(this.topics.readFor(Topics.TELEMETRY_RAW, Duration.ofSeconds(2)))
			.noneMatch((record) -> sensor.equals(key(record)));
	}

	/**
	 * Thousands of random and mutated bodies: never a 5xx, and nothing on
	 * {@code telemetry-raw} from a request that was not answered 202.
	 */
	@Test
	void fuzzedBodiesNeverGetA5xxAndRejectedOnesPublishNothing() throws Exception {
		long seed = Long.getLong("millrace.fuzz.seed", System.nanoTime());
		Random random = new Random(seed);
		String run = "fuzz-" + UUID.randomUUID();
		Set<String> acceptedIds = new HashSet<>();
		Map<Integer, Integer> statuses = new TreeMap<>();
		for (int i = 0; i < 2000; i++) {
			Fuzzed fuzzed = Fuzzed.next(random, run + "-" + i);
			HttpResponse<String> response = send(fuzzed.query(), fuzzed.contentType(), fuzzed.encoding(),
					fuzzed.body());
			statuses.merge(response.statusCode(), 1, Integer::sum);
			assertThat(response.statusCode()).as("seed %s, case %s: %s -> %s", seed, i, fuzzed, response.body())
				.isLessThan(500);
			if (response.statusCode() == 202) {
				MillraceJson.mapper()
					.readTree(response.body())
					.get("eventIds")
					.forEach((id) -> acceptedIds.add(id.asText()));
			}
			else {
				assertThat(response.headers().firstValue("Content-Type")).as("seed %s, case %s", seed, i)
					.hasValue("application/problem+json");
			}
		}
		assertThat(statuses).as("seed %s: the fuzzer reaches both outcomes", seed).containsKeys(202, 400);
		// Every record of this run on the topic is an event some 202 listed.
		List<JsonNode> published = new ArrayList<>();
		for (ConsumerRecord<byte[], byte[]> record : this.topics.readFor(Topics.TELEMETRY_RAW, Duration.ofSeconds(5))) {
			if (new String(record.value(), StandardCharsets.UTF_8).contains(run)) {
				published.add(MillraceJson.mapper().readTree(record.value()));
			}
		}
		assertThat(published).as("seed %s", seed).isNotEmpty();
		assertThat(published).as("seed %s: records not answered 202", seed)
			.allMatch((event) -> acceptedIds.contains(event.get("eventId").asText()));
		assertThat(published).as("seed %s: each accepted event once", seed)
			.extracting((event) -> event.get("eventId").asText())
			.doesNotHaveDuplicates();
	}

	/** One fuzzed request. */
	record Fuzzed(String query, String contentType, String encoding, byte[] body) {

		private static final String[] CONTENT_TYPES = { "application/json", "application/json", "application/x-ndjson",
				"application/json; charset=utf-8", "text/plain", "application/xml", "application/octet-stream" };

		static Fuzzed next(Random random, String marker) {
			String valid = "{\"sensorId\": \"" + marker + "\", \"timestamp\": \"2026-02-05T10:00:00Z\", \"value\": "
					+ random.nextInt(100) + "}";
			byte[] body = switch (random.nextInt(10)) {
				case 0 -> utf8(valid.substring(0, random.nextInt(valid.length())));
				case 1 -> flip(utf8(valid), random);
				case 2 -> utf8(valid.replace("\"value\": ", "\"value\": \"NaN\", \"x\": "));
				case 3 -> utf8(valid.replace("\"value\": ", "\"value\": 1e400, \"y\": "));
				case 4 -> utf8("[".repeat(2000 + random.nextInt(3000)) + "]".repeat(random.nextInt(10)));
				case 5 -> invalidUtf8(valid, random);
				case 6 -> utf8(valid.replace("\"timestamp\": \"2026-02-05T10:00:00Z\"",
						"\"timestamp\": " + random.nextLong()));
				case 7 -> utf8("[" + valid + "," + valid.replace("value", "valeur") + "]");
				case 8 -> utf8(valid + "\n" + valid.substring(3) + "\n");
				default -> randomBytes(random);
			};
			String contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
			String encoding = (random.nextInt(8) == 0) ? "gzip" : null;
			String query = (random.nextInt(4) == 0) ? "?invalid=skip" : "";
			return new Fuzzed(query, contentType, encoding, body);
		}

		private static byte[] utf8(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

		private static byte[] flip(byte[] bytes, Random random) {
			for (int i = 0; i < 1 + random.nextInt(4); i++) {
				bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
			}
			return bytes;
		}

		private static byte[] invalidUtf8(String valid, Random random) {
			byte[] bytes = utf8(valid);
			int at = valid.indexOf("fuzz-");
			bytes[at + random.nextInt(4)] = (byte) (0xC0 + random.nextInt(2));
			return bytes;
		}

		private static byte[] randomBytes(Random random) {
			byte[] bytes = new byte[random.nextInt(300)];
			random.nextBytes(bytes);
			return bytes;
		}

		@Override
		public String toString() {
			String text = new String(this.body, StandardCharsets.UTF_8);
			return this.contentType + " " + this.encoding + " " + this.query + " "
					+ text.substring(0, Math.min(120, text.length()));
		}

	}

	@Test
	void publishesAnOpenApiDocumentAndSwaggerUiGeneratedFromTheCode() throws Exception {
		JsonNode openApi = MillraceJson.mapper()
			.readTree(LocalHttp.get("http://127.0.0.1:" + this.port + "/v3/api-docs").body());
		JsonNode post = openApi.get("paths").get("/api/v1/events").get("post");
		assertThat(post.get("requestBody").get("content").has("application/x-ndjson")).isTrue();
		assertThat(post.get("responses").has("202")).isTrue();
		assertThat(post.get("responses").has("503")).isTrue();
		assertThat(post.get("responses").has("401")).isTrue();
		assertThat(post.get("requestBody").get("content").has("application/cloudevents-batch+json")).isTrue();
		assertThat(openApi.get("components").get("securitySchemes").get("apiKey").get("name").asText())
			.isEqualTo("X-API-Key");
		assertThat(LocalHttp.get("http://127.0.0.1:" + this.port + "/swagger-ui/index.html").statusCode())
			.isEqualTo(200);
	}

	@Test
	void malformedJsonAndOtherMediaTypesAreProblemsToo() throws Exception {
		HttpResponse<String> malformed = post("application/json", "{\"sensorId\": ");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.body()).contains("https://millrace.io/problems/malformed-json");
		HttpResponse<String> text = post("text/plain", "hello");
		assertThat(text.statusCode()).isEqualTo(415);
		assertThat(text.body()).contains("https://millrace.io/problems/unsupported-media-type");
	}

	@Test
	void servesTheTelemetryEventSchema() throws Exception {
		HttpResponse<String> schema = LocalHttp
			.get("http://127.0.0.1:" + this.port + "/api/v1/schemas/telemetry-event");
		assertThat(schema.statusCode()).isEqualTo(200);
		assertThat(schema.headers().firstValue("Content-Type").orElse("")).startsWith("application/schema+json");
		assertThat(schema.body()).contains("\"sensorId\"");
	}

	@Test
	void reportsReadinessWithTheBinderAndItsOwnMetrics() throws Exception {
		HttpResponse<String> readiness = management("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"broker\"");
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(management("/actuator/prometheus").body()).contains("millrace_ingest_events_accepted_total",
				"millrace_ingest_requests_rejected_total{");
	}

	private HttpResponse<String> post(String contentType, String body) {
		return LocalHttp.post("http://127.0.0.1:" + this.port + "/api/v1/events", contentType, body,
				TestApiKeys.WRITER_HEADER);
	}

	private HttpResponse<String> send(String query, String contentType, String encoding, byte[] body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/events" + query))
			.header("Content-Type", contentType)
			.header("X-API-Key", TestApiKeys.WRITER)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (encoding != null) {
			request.header("Content-Encoding", encoding);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] gzip(String text) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		return bytes.toByteArray();
	}

	private HttpResponse<String> management(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

	private List<ConsumerRecord<byte[], byte[]>> recordsOf(String sensor, int expected) {
		List<ConsumerRecord<byte[], byte[]>> records = this.topics
			.readUntil(Topics.TELEMETRY_RAW,
					(read) -> read.stream().filter((record) -> sensor.equals(key(record))).count() >= expected,
					Duration.ofSeconds(30))
			.stream()
			.filter((record) -> sensor.equals(key(record)))
			.toList();
		assertThat(records).hasSize(expected);
		return records;
	}

}
