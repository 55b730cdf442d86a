package io.millrace.serving;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.DeadLetterAssertions;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** serving-api reading {@code telemetry-aggregates} from a real Kafka broker. */
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ServingIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	static final String READER = "mr_serving-test-reader";

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
		ApiKeyFixture.register(registry, 0, "test-reader", READER, "read");
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
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(ServingBindings.EXPECTED);
	}

	@Test
	void servesTheAggregatesItConsumedUpsertedOnTheWindowKey() throws Exception {
		publish(aggregate("pump-9", "temperature", 0, 70, false, 0));
		publish(aggregate("pump-9", "temperature", 0, 91, true, 1));
		publish(aggregate("pump-9", "temperature", 1, 60, true, 0));
		publish(aggregate("pump-9", "pressure", 0, 2, true, 0));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get("/api/v1/sensors/pump-9/aggregates").get("aggregates")).hasSize(3));
		JsonNode temperature = get(
				"/api/v1/sensors/pump-9/aggregates?metric=temperature&from=" + T0 + "&to=" + T0.plusSeconds(60));
		assertThat(temperature.get("aggregates")).hasSize(1);
		JsonNode window = temperature.get("aggregates").get(0);
		assertThat(window.get("max").asDouble()).isEqualTo(91.0);
		assertThat(window.get("final").asBoolean()).isTrue();
		assertThat(window.get("window").get("start").asText()).isEqualTo("2026-11-25T10:00:00Z");
		assertThat(window.get("window").get("size").asText()).isEqualTo("PT1M");

		JsonNode sensors = get("/api/v1/sensors").get("sensors");
		JsonNode pump = null;
		for (JsonNode sensor : sensors) {
			if (sensor.get("sensorId").asText().equals("pump-9")) {
				pump = sensor;
			}
		}
		assertThat(pump).isNotNull();
		assertThat(pump.get("lastSeen").asText()).isEqualTo("2026-11-25T10:02:00Z");
		assertThat(pump.get("latest").get("temperature").get("max").asDouble()).isEqualTo(60.0);
	}

	/**
	 * Aggregates with sketches, as processing writes them, through the broker into bins
	 * and a top-N: the binned and ranged p95 are the merged sketches' and lie within the
	 * sketch's accuracy of the exact p95 of all the readings, which no window's p95 is.
	 */
	@Test
	void mergesTheAggregatesSketchesIntoBinnedAndRangedQuantiles() throws Exception {
		Random random = new Random(95);
		List<Double> all = new ArrayList<>();
		for (int minute = 0; minute < 10; minute++) {
			// nine calm minutes and one hot one: the 5-minute p95 is neither's
			double level = (minute == 7) ? 80 : 20;
			WindowSketch.Accumulator sketch = new WindowSketch.Accumulator(0.01);
			List<Double> readings = new ArrayList<>();
			for (int i = 0; i < 60; i++) {
				double value = level + random.nextGaussian() * 2;
				readings.add(value);
				sketch.add(value);
			}
			all.addAll(readings);
			double sum = readings.stream().mapToDouble(Double::doubleValue).sum();
			double min = readings.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
			double max = readings.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
			publish(new WindowAggregate("sketchy-1", "temperature",
					AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1)), readings.size(), sum,
					min, max, sum / readings.size(), null, sketch.quantile(0.5), sketch.quantile(0.95),
					sketch.quantile(0.99), readings.get(0), readings.get(readings.size() - 1), true, 0,
					WindowAggregate.ON_TIME, T0.plusSeconds(60L * minute + 65), sketch.toSketch()));
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					get("/api/v1/sensors/sketchy-1/aggregates?metric=temperature&limit=100").get("aggregates"))
				.hasSize(10));
		// the window as stored and served still carries its sketch
		JsonNode window = get("/api/v1/sensors/sketchy-1/aggregates?metric=temperature&limit=1").at("/aggregates/0");
		assertThat(window.at("/sketch/relativeAccuracy").asDouble()).isEqualTo(0.01);

		JsonNode bins = get("/api/v1/sensors/sketchy-1/aggregates?metric=temperature&bin=PT5M").get("bins");
		assertThat(bins).hasSize(2);
		assertThat(bins.get(0).get("p95").asDouble()).isCloseTo(exact(all.subList(0, 300), 0.95),
				within(0.01 * exact(all.subList(0, 300), 0.95)));
		double hotBinP95 = exact(all.subList(300, 600), 0.95);
		assertThat(bins.get(1).get("p95").asDouble()).isCloseTo(hotBinP95, within(0.01 * hotBinP95));
		assertThat(bins.get(1).get("p50").asDouble()).isCloseTo(exact(all.subList(300, 600), 0.5),
				within(0.01 * exact(all.subList(300, 600), 0.5)));

		JsonNode top = get("/api/v1/top?metric=temperature&statistic=p95&prefix=sketchy-&from=" + T0 + "&to="
				+ T0.plusSeconds(600));
		assertThat(top.at("/sensors/0/estimate").asText()).isEqualTo("merged-sketch");
		assertThat(top.at("/sensors/0/windows").asInt()).isEqualTo(10);
		double rangeP95 = exact(all, 0.95);
		assertThat(top.at("/sensors/0/value").asDouble()).isCloseTo(rangeP95, within(0.01 * rangeP95));
	}

	/** The reading at rank floor(q (n - 1)). */
	private static double exact(List<Double> readings, double q) {
		double[] sorted = readings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted[(int) Math.floor(q * (sorted.length - 1))];
	}

	@Test
	void deadLettersRecordsThatAreNotAggregatesAndKeepsServing(CapturedOutput output) throws Exception {
		String sensor = "poison-pump-1";
		// Longer than a log line may show: its end must not reach the log.
		byte[] notJson = ("not JSON " + "x".repeat(300) + " END-OF-POISON").getBytes(StandardCharsets.UTF_8);
		byte[] schemaInvalid = ("{\"sensorId\":\"" + sensor + "\",\"metric\":\"temperature\",\"count\":0}")
			.getBytes(StandardCharsets.UTF_8);
		// One key, so one partition: the valid aggregate comes after both poison records.
		this.topics.send(Topics.TELEMETRY_AGGREGATES, sensor, notJson);
		this.topics.send(Topics.TELEMETRY_AGGREGATES, sensor, schemaInvalid);
		publish(aggregate(sensor, "temperature", 0, 42, true, 0));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(get("/api/v1/sensors/" + sensor + "/aggregates").get("aggregates")).hasSize(1)
						.allSatisfy((window) -> assertThat(window.get("max").asDouble()).isEqualTo(42.0)));

		List<ConsumerRecord<byte[], byte[]>> sent = this.topics.readUntil(Topics.TELEMETRY_AGGREGATES,
				(records) -> DeadLetterAssertions.hasAll(records, notJson, schemaInvalid), Duration.ofSeconds(30));
		List<ConsumerRecord<byte[], byte[]>> deadLetters = this.topics.readUntil(Topics.TELEMETRY_DEADLETTER,
				(records) -> DeadLetterAssertions.hasAll(records, notJson, schemaInvalid), Duration.ofSeconds(30));
		ConsumerRecord<byte[], byte[]> undecodable = DeadLetterAssertions.assertDeadLettered(deadLetters, sent, notJson,
				"undecodable");
		assertThat(TopicClient.header(undecodable, "x-millrace-error-detail")).startsWith("not JSON");
		ConsumerRecord<byte[], byte[]> invalid = DeadLetterAssertions.assertDeadLettered(deadLetters, sent,
				schemaInvalid, "schema-invalid");
		assertThat(TopicClient.header(invalid, "x-millrace-error-detail")).contains("/window/start is required",
				"/count must be a positive integer");

		String metrics = management("/actuator/prometheus").body();
		assertThat(metrics)
			.containsPattern("millrace_serving_deadlettered_total\\{[^}]*reason=\"undecodable\"[^}]*\\} [1-9]")
			.containsPattern("millrace_serving_deadlettered_total\\{[^}]*reason=\"schema-invalid\"[^}]*\\} [1-9]")
			.doesNotContain("millrace_serving_aggregates_unreadable");
		DeadLetterAssertions.assertLoggedOnceWithoutTheWholePayload(output.getOut(), sent, notJson, "END-OF-POISON");
		DeadLetterAssertions.assertLoggedOnceWithoutTheWholePayload(output.getOut(), sent, schemaInvalid, null);
	}

	@Test
	void unknownSensorsAndBadRangesAreProblems() throws Exception {
		HttpResponse<String> unknown = raw("/api/v1/sensors/nobody/aggregates");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("https://millrace.io/problems/unknown-sensor");
		publish(aggregate("pump-10", "t", 0, 1, true, 0));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> raw("/api/v1/sensors/pump-10/aggregates").statusCode() == 200);
		HttpResponse<String> reversed = raw(
				"/api/v1/sensors/pump-10/aggregates?from=" + T0.plusSeconds(60) + "&to=" + T0);
		assertThat(reversed.statusCode()).isEqualTo(400);
		assertThat(reversed.body()).contains("https://millrace.io/problems/invalid-time-range");
		HttpResponse<String> notATime = raw("/api/v1/sensors/pump-10/aggregates?from=yesterday");
		assertThat(notATime.statusCode()).isEqualTo(400);
		assertThat(notATime.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void reportsReadinessWithTheBinderAndItsOwnMetrics() throws Exception {
		HttpResponse<String> readiness = management("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"broker\"");
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(management("/actuator/prometheus").body()).contains("millrace_serving_aggregates_received_total",
				"millrace_serving_sensors");
	}

	private void publish(WindowAggregate aggregate) throws IOException {
		this.topics.send(Topics.TELEMETRY_AGGREGATES, aggregate.sensorId(),
				MillraceJson.mapper().writeValueAsBytes(aggregate));
	}

	private JsonNode get(String path) throws IOException {
		HttpResponse<String> response = raw(path);
		assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
		return MillraceJson.mapper().readTree(response.body());
	}

	private HttpResponse<String> raw(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.port + path, Map.of("X-API-Key", READER));
	}

	private HttpResponse<String> management(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

	private static WindowAggregate aggregate(String sensor, String metric, int minute, double max, boolean isFinal,
			int revision) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, metric, window, 2, max + 1, 1, max, (max + 1) / 2, 0.5, null, null, null,
				1.0, max, isFinal, revision, WindowAggregate.ON_TIME, Instant.now());
	}

}
