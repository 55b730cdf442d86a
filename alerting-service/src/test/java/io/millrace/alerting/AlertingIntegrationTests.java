package io.millrace.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.millrace.local.DeadLetterAssertions;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.local.WebhookReceiver;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.model.telemetry.TelemetryEvent;
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

import static io.millrace.local.TopicClient.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * alerting-service between a real Kafka broker and a real HTTP webhook receiver.
 */
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class AlertingIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final WebhookReceiver receiver = WebhookReceiver.start(0, (body) -> {
	});

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	static final String READER = "mr_alerting-test-reader";

	static final String ADMIN = "mr_alerting-test-admin";

	@Autowired
	BindingService bindings;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@DynamicPropertySource
	static void kafkaAndWebhook(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.alerting.webhook.url", receiver::url);
		registry.add("millrace.alerting.delivery.allow-http", () -> "true");
		registry.add("millrace.alerting.delivery.allow-list", () -> "127.0.0.1");
		registry.add("millrace.alerting.checkpoint.directory", () -> checkpoints().toString());
		registry.add("millrace.runtime.tick-interval", () -> "200ms");
		// A list in one property source replaces the list of application.yml: both rules
		// here.
		registry.add("millrace.alerting.rules[0].id", () -> "high-temperature");
		registry.add("millrace.alerting.rules[0].kind", () -> "threshold");
		registry.add("millrace.alerting.rules[0].metric", () -> "temperature");
		registry.add("millrace.alerting.rules[0].statistic", () -> "max");
		registry.add("millrace.alerting.rules[0].operator", () -> ">");
		registry.add("millrace.alerting.rules[0].threshold", () -> "80");
		registry.add("millrace.alerting.rules[1].id", () -> "pressure-now");
		registry.add("millrace.alerting.rules[1].kind", () -> "instant");
		registry.add("millrace.alerting.rules[1].metric", () -> "pressure");
		registry.add("millrace.alerting.rules[1].operator", () -> ">=");
		registry.add("millrace.alerting.rules[1].threshold", () -> "9.5");
		registry.add("millrace.alerting.rules[1].resolve-threshold", () -> "8");
		registry.add("millrace.alerting.rules[1].selector.sensor-id-pattern", () -> "valve-*");
		registry.add("millrace.alerting.rules[1].severity", () -> "critical");
		registry.add("millrace.alerting.rules[2].id", () -> "north-hot");
		registry.add("millrace.alerting.rules[2].kind", () -> "threshold");
		registry.add("millrace.alerting.rules[2].metric", () -> "humidity");
		registry.add("millrace.alerting.rules[2].statistic", () -> "avg");
		registry.add("millrace.alerting.rules[2].operator", () -> ">");
		registry.add("millrace.alerting.rules[2].threshold", () -> "90");
		registry.add("millrace.alerting.rules[2].selector.tags.site", () -> "north");
		ApiKeyFixture.register(registry, 0, "test-reader", READER, "read");
		ApiKeyFixture.register(registry, 1, "test-admin", ADMIN, "admin");
	}

	static java.nio.file.Path checkpoints() {
		try {
			return java.nio.file.Files.createTempDirectory("alerting-checkpoints");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stop(@Autowired ConfigurableApplicationContext application) {
		// The application's consumers stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		receiver.close();
		broker.close();
	}

	@Test
	void bindsTheTopicsOfThePlatform() {
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(AlertingBindings.EXPECTED);
	}

	@Test
	void aBreachingWindowFiresAnAlertOnTheTopicAndTheWebhookAndALaterWindowResolvesIt() throws Exception {
		String sensor = "alert-pump-1";
		publish(aggregate(sensor, 0, 91));
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 1);
		AlertEvent firing = webhooksFor(sensor).get(0);
		assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
		assertThat(firing.value()).isEqualTo(91.0);
		assertThat(firing.threshold()).isEqualTo(80.0);
		assertThat(firing.window().start()).isEqualTo(T0);

		HttpResponse<String> active = api("/api/v1/alerts");
		assertThat(active.body()).contains(firing.fingerprint());

		publish(aggregate(sensor, 1, 70));
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 2);
		AlertEvent resolved = webhooksFor(sensor).get(1);
		assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());

		List<ConsumerRecord<byte[], byte[]>> onTopic = this.topics.readUntil(Topics.ALERTS,
				(records) -> records.stream().filter((record) -> sensor.equals(key(record))).count() >= 2,
				Duration.ofSeconds(30));
		assertThat(onTopic.stream().filter((record) -> sensor.equals(key(record))).map(AlertingIntegrationTests::alert))
			.extracting(AlertEvent::alertId)
			.containsExactly(firing.alertId(), resolved.alertId());
	}

	@Test
	void deadLettersRecordsThatAreNotAggregatesAndKeepsEvaluating(CapturedOutput output) throws Exception {
		String sensor = "poison-pump-1";
		// Longer than a log line may show: its end must not reach the log.
		byte[] notJson = ("not JSON " + "x".repeat(300) + " END-OF-POISON").getBytes(StandardCharsets.UTF_8);
		byte[] schemaInvalid = ("{\"sensorId\":\"" + sensor + "\",\"metric\":\"temperature\",\"count\":0}")
			.getBytes(StandardCharsets.UTF_8);
		// One key, so one partition: the breaching aggregate comes after both poison
		// records.
		this.topics.send(Topics.TELEMETRY_AGGREGATES, sensor, notJson);
		this.topics.send(Topics.TELEMETRY_AGGREGATES, sensor, schemaInvalid);
		publish(aggregate(sensor, 0, 95));

		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 1);
		AlertEvent firing = webhooksFor(sensor).get(0);
		assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
		assertThat(firing.value()).isEqualTo(95.0);

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
			.containsPattern("millrace_alerting_deadlettered_total\\{[^}]*reason=\"undecodable\"[^}]*\\} [1-9]")
			.containsPattern("millrace_alerting_deadlettered_total\\{[^}]*reason=\"schema-invalid\"[^}]*\\} [1-9]")
			.doesNotContain("millrace_alerting_aggregates_unreadable");
		// The streaming runtime logs each dead letter once, at WARN, with where it came
		// from and the reason, never the whole payload.
		assertLoggedOnce(output.getOut(), offsetOf(sent, notJson), "undecodable");
		assertLoggedOnce(output.getOut(), offsetOf(sent, schemaInvalid), "schema-invalid");
		assertThat(output.getOut()).doesNotContain("END-OF-POISON");
	}

	@Test
	void anInstantRuleFiresFromARawReadingWithoutWaitingForAWindow() throws Exception {
		String sensor = "valve-7";
		// The readings' consumer group starts at the end of telemetry-raw: send until it
		// has joined. Every breach after the first keeps the alert firing, unnotified.
		Instant at = Instant.now();
		for (int i = 0; i < 60 && webhooksFor(sensor).isEmpty(); i++) {
			publishReading(sensor, at.plusMillis(i), 9.7);
			Thread.sleep(500);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 1);
		AlertEvent firing = webhooksFor(sensor).get(0);
		assertThat(firing.ruleId()).isEqualTo("pressure-now");
		assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
		assertThat(firing.severity()).isEqualTo("critical");
		assertThat(firing.window()).isNull();

		// A bad record of telemetry-raw is processing-service's to dead-letter: skipped
		// here.
		this.topics.send(Topics.TELEMETRY_RAW, sensor, "not a reading".getBytes(StandardCharsets.UTF_8));
		// Hysteresis: 9 is below the threshold but above the resolve threshold.
		publishReading(sensor, at.plusSeconds(60), 9.0);
		publishReading(sensor, at.plusSeconds(61), 7.5);
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 2);
		AlertEvent resolved = webhooksFor(sensor).get(1);
		assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(resolved.value()).isEqualTo(7.5);
		assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
		assertThat(management("/actuator/prometheus").body())
			.containsPattern("millrace_alerting_skipped_total\\{[^}]*reason=\"undecodable\"[^}]*\\} [1-9]");
	}

	@Test
	void theDeliveryLogShowsEachAttemptAndARedeliveryPostsTheSameNotificationAgain() throws Exception {
		String sensor = "log-pump-1";
		publish(aggregate(sensor, 0, 93));
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 1);
		AlertEvent firing = webhooksFor(sensor).get(0);
		String notificationId = "msg_" + firing.alertId().replace("-", "");

		// The log is written with the checkpoint after the attempt, then read back.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api("/api/v1/deliveries/" + notificationId).body().contains("\"status\":\"delivered\""));
		String log = api("/api/v1/deliveries/" + notificationId).body();
		assertThat(log).contains("\"subscriptionId\":\"default\"", "\"ruleId\":\"high-temperature\"", "\"attempts\":1",
				"\"statusCode\":204", "\"alertStatus\":\"firing\"");
		assertThat(api("/api/v1/deliveries?subscription=default&status=delivered").body()).contains(notificationId);
		assertThat(api("/api/v1/deliveries/msg_unknown").statusCode()).isEqualTo(404);

		HttpResponse<String> refused = LocalHttp.post(
				"http://127.0.0.1:" + this.port + "/api/v1/deliveries/" + notificationId + "/redeliver",
				"application/json", "", Map.of("X-API-Key", READER));
		assertThat(refused.statusCode()).isEqualTo(403);
		HttpResponse<String> accepted = LocalHttp.post(
				"http://127.0.0.1:" + this.port + "/api/v1/deliveries/" + notificationId + "/redeliver",
				"application/json", "", Map.of("X-API-Key", ADMIN));
		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(accepted.body()).contains("\"requestId\":\"rd_");
		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor(sensor).size() == 2);
		assertThat(webhooksFor(sensor).get(1)).isEqualTo(firing);
	}

	@Test
	void aRuleSelectingByTagUsesTheSensorRegistryForAggregatesThatCarryNoTags() throws Exception {
		publishMetadata(new SensorMetadata("north-1", "North 1", Map.of("site", "north"), null, null, null, null));
		publishMetadata(new SensorMetadata("south-1", "South 1", Map.of("site", "south"), null, null, null, null));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> management("/actuator/prometheus").body()
				.matches("(?s).*millrace_alerting_sensors_known\\{[^}]*\\} [2-9].*"));
		publish(humidity("south-1", 95));
		publish(humidity("north-1", 95));

		await().atMost(Duration.ofSeconds(30)).until(() -> webhooksFor("north-1").size() == 1);
		assertThat(webhooksFor("north-1").get(0).ruleId()).isEqualTo("north-hot");
		// Both aggregates are in and evaluated once north's alert is: none for the south.
		assertThat(webhooksFor("south-1")).isEmpty();
	}

	@Test
	void servesTheConfiguredRules() throws Exception {
		HttpResponse<String> rules = api("/api/v1/rules");
		assertThat(rules.statusCode()).isEqualTo(200);
		assertThat(rules.body()).contains("\"id\":\"high-temperature\"", "\"id\":\"pressure-now\"",
				"\"kind\":\"instant\"");
	}

	@Test
	void reportsReadinessWithTheBinderAndItsOwnMetrics() throws Exception {
		HttpResponse<String> readiness = management("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"broker\"");
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(management("/actuator/prometheus").body()).contains("millrace_alerting_evaluations_total",
				"millrace_alerting_webhook_deliveries_total{");
	}

	private static long offsetOf(List<ConsumerRecord<byte[], byte[]>> sent, byte[] payload) {
		return sent.stream()
			.filter((record) -> java.util.Arrays.equals(record.value(), payload))
			.findFirst()
			.orElseThrow()
			.offset();
	}

	private static void assertLoggedOnce(String log, long offset, String reason) {
		List<String> lines = log.lines()
			.filter((line) -> line.contains("Dead-lettering record from " + Topics.TELEMETRY_AGGREGATES)
					&& line.contains(" offset " + offset + ": " + reason))
			.toList();
		assertThat(lines).as(reason).hasSize(1);
		assertThat(lines.get(0)).contains(" WARN ");
	}

	private void publish(WindowAggregate aggregate) throws IOException {
		this.topics.send(Topics.TELEMETRY_AGGREGATES, aggregate.sensorId(),
				MillraceJson.mapper().writeValueAsBytes(aggregate));
	}

	private void publishReading(String sensor, Instant at, double pressure) throws IOException {
		TelemetryEvent event = new TelemetryEvent(java.util.UUID.randomUUID().toString(), sensor, at, null,
				Map.of("pressure", pressure), null, 1, Instant.now());
		this.topics.send(Topics.TELEMETRY_RAW, sensor, MillraceJson.mapper().writeValueAsBytes(event));
	}

	private void publishMetadata(SensorMetadata metadata) throws IOException {
		this.topics.send(Topics.SENSOR_METADATA, metadata.sensorId(),
				MillraceJson.mapper().writeValueAsBytes(metadata));
	}

	private static WindowAggregate humidity(String sensor, double avg) {
		AggregateWindow window = AggregateWindow.tumbling(T0, Duration.ofMinutes(1));
		return new WindowAggregate(sensor, "humidity", window, 1, avg, avg, avg, avg, 0.0, null, null, null, avg, avg,
				true, 0, WindowAggregate.ON_TIME, Instant.now());
	}

	private static List<AlertEvent> webhooksFor(String sensor) {
		return receiver.received()
			.stream()
			.map((body) -> read(body.getBytes(StandardCharsets.UTF_8)))
			.filter((alert) -> alert.sensorId().equals(sensor))
			.toList();
	}

	private HttpResponse<String> api(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.port + path, Map.of("X-API-Key", READER));
	}

	private HttpResponse<String> management(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

	private static AlertEvent alert(ConsumerRecord<byte[], byte[]> record) {
		return read(record.value());
	}

	private static AlertEvent read(byte[] json) {
		try {
			return MillraceJson.mapper().readValue(json, AlertEvent.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static WindowAggregate aggregate(String sensor, int minute, double max) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, "temperature", window, 2, max + 60, 60, max, (max + 60) / 2, 1.0, null, null,
				null, 60.0, max, true, 0, WindowAggregate.ON_TIME, Instant.now());
	}

}
