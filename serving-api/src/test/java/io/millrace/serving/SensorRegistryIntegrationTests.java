package io.millrace.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sensor registry against a real broker: writes go to the compacted
 * {@code sensor-metadata} topic and come back through serving's own consumer, which feeds
 * tag filters and sensor details.
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class SensorRegistryIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final String READER = "mr_registry-test-reader";

	static final String ADMIN = "mr_registry-test-admin";

	final HttpClient http = HttpClient.newHttpClient();

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		ApiKeyFixture.register(registry, 0, "test-reader", READER, "read");
		ApiKeyFixture.register(registry, 1, "test-admin", ADMIN, "admin");
	}

	@AfterAll
	static void stopBroker(@Autowired ConfigurableApplicationContext application) {
		application.stop();
		broker.close();
	}

	@Test
	void registersReadsReplacesAndDeletesWithOptimisticConcurrency() throws Exception {
		String body = """
				{"name": "Boiler 1", "tags": {"site": "plant-1", "line": "3"},
				 "location": {"latitude": 52.1, "longitude": 4.3, "site": "Hall A"},
				 "units": {"temperature": "°C"}, "expectedRanges": {"temperature": {"min": 10, "max": 90}}}""";
		HttpResponse<String> created = send("PUT", "/api/v1/sensors/boiler-1/metadata", ADMIN, body,
				Map.of("If-None-Match", "*"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String v1 = created.headers().firstValue("ETag").orElseThrow();

		HttpResponse<String> read = send("GET", "/api/v1/sensors/boiler-1/metadata", READER, null, Map.of());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.headers().firstValue("ETag")).hasValue(v1);
		JsonNode metadata = json(read);
		assertThat(metadata.get("sensorId").asText()).isEqualTo("boiler-1");
		assertThat(metadata.at("/tags/site").asText()).isEqualTo("plant-1");
		assertThat(metadata.at("/units/temperature").asText()).isEqualTo("°C");
		assertThat(metadata.at("/expectedRanges/temperature/max").asDouble()).isEqualTo(90.0);
		assertThat(metadata.at("/location/latitude").asDouble()).isEqualTo(52.1);
		assertThat(metadata.has("updatedAt")).isTrue();
		assertThat(send("GET", "/api/v1/sensors/boiler-1/metadata", READER, null, Map.of("If-None-Match", v1))
			.statusCode()).isEqualTo(304);
		// Once more as a create-only write: it exists.
		assertProblem(send("PUT", "/api/v1/sensors/boiler-1/metadata", ADMIN, body, Map.of("If-None-Match", "*")), 412,
				"precondition-failed");

		HttpResponse<String> replaced = send("PUT", "/api/v1/sensors/boiler-1/metadata", ADMIN,
				"{\"name\": \"Boiler one\", \"tags\": {\"site\": \"plant-2\"}}", Map.of("If-Match", v1));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		String v2 = replaced.headers().firstValue("ETag").orElseThrow();
		assertThat(v2).isNotEqualTo(v1);
		assertThat(json(send("GET", "/api/v1/sensors/boiler-1/metadata", READER, null, Map.of())).at("/tags/site")
			.asText()).isEqualTo("plant-2");
		// A writer that read v1 lost the race.
		HttpResponse<String> stale = send("PUT", "/api/v1/sensors/boiler-1/metadata", ADMIN, body,
				Map.of("If-Match", v1));
		assertProblem(stale, 412, "precondition-failed");
		assertThat(json(stale).get("currentETag").asText()).isEqualTo(v2);
		assertProblem(send("DELETE", "/api/v1/sensors/boiler-1/metadata", ADMIN, null, Map.of("If-Match", v1)), 412,
				"precondition-failed");

		assertThat(
				send("DELETE", "/api/v1/sensors/boiler-1/metadata", ADMIN, null, Map.of("If-Match", v2)).statusCode())
			.isEqualTo(204);
		assertProblem(send("GET", "/api/v1/sensors/boiler-1/metadata", READER, null, Map.of()), 404,
				"unknown-sensor-metadata");

		// On the compacted topic, keyed by sensorId: both versions, then a tombstone.
		List<ConsumerRecord<byte[], byte[]>> records = this.topics.readUntil(Topics.SENSOR_METADATA,
				(all) -> all.stream()
					.anyMatch((record) -> "boiler-1".equals(TopicClient.key(record)) && record.value() == null),
				Duration.ofSeconds(30));
		List<ConsumerRecord<byte[], byte[]>> boiler = records.stream()
			.filter((record) -> "boiler-1".equals(TopicClient.key(record)))
			.toList();
		assertThat(boiler).hasSize(3);
		assertThat(MillraceJson.mapper().readTree(boiler.get(0).value()).at("/tags/line").asText()).isEqualTo("3");
		assertThat(boiler.get(2).value()).isNull();
	}

	@Test
	void refusesWritesWithoutAdminAndInvalidFieldsByName() throws Exception {
		HttpResponse<String> reader = send("PUT", "/api/v1/sensors/pump-x/metadata", READER, "{\"name\":\"x\"}",
				Map.of());
		assertThat(reader.statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/api/v1/sensors/pump-x/metadata", READER, null, Map.of()).statusCode())
			.isEqualTo(403);
		assertThat(send("POST", "/api/v1/sensors/metadata:import", READER, "[]", Map.of()).statusCode()).isEqualTo(403);

		HttpResponse<String> invalid = send("PUT", "/api/v1/sensors/pump-x/metadata", ADMIN, """
				{"sensorId": "pump-y", "tags": {"bad key": "v"}, "location": {"latitude": 91, "longitude": 0},
				 "expectedRanges": {"temperature": {"min": 5, "max": 1}}}""", Map.of());
		assertProblem(invalid, 400, "invalid-body");
		assertThat(json(invalid).get("errors")).extracting((error) -> error.get("field").asText())
			.containsExactlyInAnyOrder("/sensorId", "/tags/bad key", "/location/latitude",
					"/expectedRanges/temperature/min");
		assertThat(send("GET", "/api/v1/sensors/pump-x/metadata", READER, null, Map.of()).statusCode()).isEqualTo(404);
	}

	@Test
	void tagsFromTheRegistryFilterSensorsAndTopNAndTheDetailShowsMetadata() throws Exception {
		for (String sensor : List.of("tagged-north", "tagged-south")) {
			this.topics.send(Topics.TELEMETRY_AGGREGATES, sensor, MillraceJson.mapper()
				.writeValueAsBytes(minute(sensor, "temperature", 0, sensor.endsWith("north") ? 50 : 70, true, 0)));
		}
		put("tagged-north", "{\"tags\": {\"site\": \"north\"}, \"name\": \"North\"}");
		put("tagged-south", "{\"tags\": {\"site\": \"south\"}}");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(json(get("/api/v1/sensors?prefix=tagged-&tag=site:north")).get("sensors"))
				.extracting((sensor) -> sensor.get("sensorId").asText())
				.containsExactly("tagged-north"));
		JsonNode top = json(
				get("/api/v1/top?metric=temperature&statistic=max&prefix=tagged-&tag=site:south&from=" + T0));
		assertThat(top.get("sensors")).extracting((entry) -> entry.get("sensorId").asText())
			.containsExactly("tagged-south");
		JsonNode detail = json(get("/api/v1/sensors/tagged-north"));
		assertThat(detail.at("/tags/site").asText()).isEqualTo("north");
		assertThat(detail.at("/metadata/name").asText()).isEqualTo("North");
		assertProblem(get("/api/v1/sensors?tag=nocolon"), 400, "invalid-parameter");
	}

	@Test
	void importsCsvAndJsonAllOrNothing() throws Exception {
		String badCsv = """
				sensorId,name,location,tags,unit.temperature,min.temperature,max.temperature
				csv-1,Line one,Hall A,site=plant-1;line=1,°C,0,100
				csv-2,Line two,"Hall B, east",site=plant-1;broken,°C,hot,100
				csv-3,Line three,,,°C,50,10
				""";
		HttpResponse<String> refused = send("POST", "/api/v1/sensors/metadata:import", ADMIN, badCsv,
				Map.of("Content-Type", "text/csv"));
		assertProblem(refused, 400, "invalid-body");
		List<String> problems = json(refused).get("errors").findValuesAsText("field").stream().toList();
		assertThat(problems).contains("/tags", "/expectedRanges/temperature/min");
		JsonNode errors = json(refused).get("errors");
		assertThat(errors).allSatisfy((error) -> assertThat(error.get("row").asInt()).isIn(3, 4));
		assertThat(errors).anySatisfy((error) -> {
			assertThat(error.get("row").asInt()).isEqualTo(4);
			assertThat(error.get("sensorId").asText()).isEqualTo("csv-3");
		});
		// All or nothing: the good row was not imported either.
		assertThat(send("GET", "/api/v1/sensors/csv-1/metadata", READER, null, Map.of()).statusCode()).isEqualTo(404);

		String goodCsv = """
				sensorId,name,location,latitude,longitude,tags,unit.temperature,min.temperature,max.temperature,unit.rpm
				csv-1,Line one,Hall A,52.0,4.0,site=plant-1;line=1,°C,0,100,1/min
				csv-2,Line two,"Hall B, east",,,site=plant-1,°C,,100,
				""";
		HttpResponse<String> imported = send("POST", "/api/v1/sensors/metadata:import", ADMIN, goodCsv,
				Map.of("Content-Type", "text/csv"));
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		assertThat(json(imported).get("imported").asInt()).isEqualTo(2);
		JsonNode two = json(get("/api/v1/sensors/csv-2/metadata"));
		assertThat(two.at("/location/site").asText()).isEqualTo("Hall B, east");
		assertThat(two.at("/expectedRanges/temperature/max").asDouble()).isEqualTo(100.0);
		assertThat(two.at("/expectedRanges/temperature").has("min")).isFalse();
		JsonNode one = json(get("/api/v1/sensors/csv-1/metadata"));
		assertThat(one.at("/tags/line").asText()).isEqualTo("1");
		assertThat(one.at("/units/rpm").asText()).isEqualTo("1/min");
		assertThat(one.at("/units/temperature").asText()).isEqualTo("°C");
		assertThat(one.at("/location/longitude").asDouble()).isEqualTo(4.0);

		HttpResponse<String> badJson = send("POST", "/api/v1/sensors/metadata:import", ADMIN,
				"[{\"sensorId\": \"json-1\", \"name\": \"ok\"}, {\"sensorId\": \"json-2\", \"location\": "
						+ "{\"latitude\": 200, \"longitude\": 0}}, {\"sensorId\": \"json-1\"}, \"not an object\"]",
				Map.of());
		assertProblem(badJson, 400, "invalid-body");
		assertThat(json(badJson).get("errors"))
			.extracting((error) -> error.get("index").asInt() + " " + error.get("field").asText())
			.containsExactlyInAnyOrder("1 /location/latitude", "2 /sensorId", "3 /", "3 /sensorId");
		assertThat(send("GET", "/api/v1/sensors/json-1/metadata", READER, null, Map.of()).statusCode()).isEqualTo(404);
		HttpResponse<String> goodJson = send("POST", "/api/v1/sensors/metadata:import", ADMIN,
				"[{\"sensorId\": \"json-1\", \"tags\": {\"site\": \"plant-9\"}}, {\"sensorId\": \"json-2\"}]",
				Map.of());
		assertThat(goodJson.statusCode()).as(goodJson.body()).isEqualTo(200);
		assertThat(json(get("/api/v1/sensors/json-1/metadata")).at("/tags/site").asText()).isEqualTo("plant-9");
		assertThat(send("POST", "/api/v1/sensors/metadata:import", ADMIN, "a,b", Map.of("Content-Type", "text/plain"))
			.statusCode()).isEqualTo(415);
	}

	private void put(String sensorId, String body) throws Exception {
		HttpResponse<String> response = send("PUT", "/api/v1/sensors/" + sensorId + "/metadata", ADMIN, body, Map.of());
		assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send("GET", path, READER, null, Map.of());
	}

	private HttpResponse<String> send(String method, String path, String key, String body, Map<String, String> headers)
			throws IOException, InterruptedException {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("X-API-Key", key);
		if (body != null) {
			all.put("Content-Type", "application/json");
		}
		all.putAll(headers);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		all.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) throws IOException {
		return MillraceJson.mapper().readTree(response.body());
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json(response).get("type").asText()).isEqualTo("https://millrace.io/problems/" + type);
	}

}
