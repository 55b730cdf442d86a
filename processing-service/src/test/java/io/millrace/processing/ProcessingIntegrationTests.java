package io.millrace.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import io.millrace.security.ManagementPlaneContract;
import io.millrace.storage.LocalDirectoryObjectStore;
import io.millrace.storage.ObjectStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.local.TopicClient.header;
import static io.millrace.local.TopicClient.key;
import static io.millrace.local.TopicClient.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * processing-service against a real Kafka broker: records in on {@code telemetry-raw},
 * aggregates, late events and dead letters out on their topics.
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"millrace.processing.idle-timeout=2s", "millrace.processing.progress-interval=1s" })
class ProcessingIntegrationTests implements ManagementPlaneContract {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final Path checkpoints = temporaryDirectory();

	static final String ADMIN = "mr_test-admin-key";

	static final String READER = "mr_test-reader-key";

	/** Each test works in its own hour of event time, later than the previous test's. */
	static final AtomicReference<Instant> nextHour = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

	@Autowired
	BindingService bindings;

	@LocalManagementPort
	int managementPort;

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.processing.checkpoint.directory", () -> checkpoints);
		ApiKeyFixture.register(registry, 0, "operator", ADMIN, "admin");
		ApiKeyFixture.register(registry, 1, "dashboard", READER, "read");
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
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(ProcessingBindings.EXPECTED);
	}

	@Test
	void aClosedWindowBecomesOneFinalAggregatePerMetricKeyedBySensor() {
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		String sensor = "it-pump-1";
		send(sensor, t.plusSeconds(10), "\"measurements\": {\"temperature\": 91, \"pressure\": 2}");
		send(sensor, t.plusSeconds(40), "\"measurements\": {\"temperature\": 85}");
		send(sensor, t.plusSeconds(125), "\"value\": 1");

		List<WindowAggregate> aggregates = aggregatesOf(sensor, 2);
		assertThat(aggregates).extracting(WindowAggregate::metric).containsExactly("pressure", "temperature");
		WindowAggregate temperature = aggregates.get(1);
		assertThat(temperature.window().start()).isEqualTo(t);
		assertThat(temperature.window().end()).isEqualTo(t.plusSeconds(60));
		assertThat(temperature.count()).isEqualTo(2);
		assertThat(temperature.min()).isEqualTo(85.0);
		assertThat(temperature.max()).isEqualTo(91.0);
		assertThat(temperature.avg()).isEqualTo(88.0);
		assertThat(temperature.sum()).isEqualTo(176.0);
		assertThat(temperature.isFinal()).isTrue();
	}

	@Test
	void poisonRecordsAreDeadLetteredWithTheReasonAndThePartitionKeepsMoving() {
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		String sensor = "it-pump-2";
		this.topics.send(Topics.TELEMETRY_RAW, sensor, "{this is not json".getBytes(StandardCharsets.UTF_8));
		this.topics.send(Topics.TELEMETRY_RAW, sensor,
				("{\"sensorId\": \"" + sensor + "\", \"value\": 3}").getBytes(StandardCharsets.UTF_8));
		send(sensor, t.plusSeconds(1), "\"value\": 7");
		send(sensor, t.plusSeconds(70), "\"value\": 8");

		assertThat(aggregatesOf(sensor, 1)).singleElement().satisfies((aggregate) -> {
			assertThat(aggregate.count()).isEqualTo(1);
			assertThat(aggregate.max()).isEqualTo(7.0);
		});
		List<ConsumerRecord<byte[], byte[]>> deadLetters = this.topics.readUntil(Topics.TELEMETRY_DEADLETTER,
				(records) -> records.stream().filter((record) -> value(record).contains(sensor)).count() >= 1
						&& records.stream().anyMatch((record) -> value(record).startsWith("{this is not json")),
				Duration.ofSeconds(30));
		ConsumerRecord<byte[], byte[]> notJson = deadLetters.stream()
			.filter((record) -> value(record).startsWith("{this is not json"))
			.findFirst()
			.orElseThrow();
		assertThat(header(notJson, "x-millrace-error-reason")).isEqualTo("undecodable");
		assertThat(header(notJson, "x-millrace-source-partition")).matches("\\d+");
		assertThat(header(notJson, "x-millrace-source-offset")).matches("\\d+");
		ConsumerRecord<byte[], byte[]> noTimestamp = deadLetters.stream()
			.filter((record) -> value(record).contains(sensor))
			.findFirst()
			.orElseThrow();
		assertThat(header(noTimestamp, "x-millrace-error-reason")).isEqualTo("schema-invalid");
		assertThat(header(noTimestamp, "x-millrace-error-detail")).contains("/timestamp is required");
	}

	@Test
	void anEventForAClosedWindowGoesToTelemetryLate() {
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		String sensor = "it-pump-3";
		send(sensor, t.plusSeconds(5), "\"value\": 1");
		send(sensor, t.plusSeconds(90), "\"value\": 2");
		aggregatesOf(sensor, 1);
		send(sensor, t.plusSeconds(30), "\"value\": 99");

		List<ConsumerRecord<byte[], byte[]>> late = this.topics.readUntil(Topics.TELEMETRY_LATE,
				(records) -> records.stream().anyMatch((record) -> value(record).contains(sensor)),
				Duration.ofSeconds(30));
		ConsumerRecord<byte[], byte[]> record = late.stream()
			.filter((candidate) -> value(candidate).contains(sensor))
			.findFirst()
			.orElseThrow();
		assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(sensor);
		assertThat(value(record)).contains("99");
		assertThat(header(record, "x-millrace-watermark")).isEqualTo(t.plusSeconds(85).toString());
	}

	@Test
	void reportsReadinessWithTheBinderAndItsOwnMetrics() throws Exception {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"broker\"");
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").body()).contains("millrace_processing_events_total",
				"millrace_processing_records_total", "millrace_processing_checkpoint_duration_seconds",
				"millrace_processing_checkpoint_skipped_total{", "millrace_processing_deadletter_total{",
				"millrace_processing_watermark_seconds");
	}

	@Test
	void checkpointsThePartitionsItReadsUnderGroupAndTopic() {
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		send("it-pump-5", t.plusSeconds(1), "\"value\": 1");
		ObjectStore store = new LocalDirectoryObjectStore(checkpoints);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(store.list("processing/processing-service/telemetry-raw/"))
				.anyMatch((key) -> key.matches(".*/partition-\\d+")));
	}

	@Test
	void showsRecentProgressPerPartition() throws Exception {
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		send("it-pump-4", t.plusSeconds(1), "\"value\": 1");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode progress = MillraceJson.mapper()
				.readTree(LocalHttp
					.get("http://127.0.0.1:" + this.managementPort + "/actuator/streamingprogress",
							Map.of("X-API-Key", ADMIN))
					.body());
			long rows = 0;
			for (JsonNode batches : progress) {
				for (JsonNode batch : batches) {
					rows += batch.get("numInputRows").asLong();
					assertThat(batch.has("inputRowsPerSecond")).isTrue();
					assertThat(batch.get("eventTime").has("watermark")).isTrue();
				}
			}
			assertThat(rows).isPositive();
		});
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("processing-it-checkpoints");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void send(String sensor, Instant timestamp, String readings) {
		String json = "{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"" + timestamp + "\", " + readings + "}";
		this.topics.send(Topics.TELEMETRY_RAW, sensor, json.getBytes(StandardCharsets.UTF_8));
	}

	private List<WindowAggregate> aggregatesOf(String sensor, int expected) {
		List<ConsumerRecord<byte[], byte[]>> records = this.topics.readUntil(Topics.TELEMETRY_AGGREGATES,
				(read) -> read.stream().filter((record) -> key(record).equals(sensor)).count() >= expected,
				Duration.ofSeconds(60));
		List<WindowAggregate> aggregates = records.stream()
			.filter((record) -> key(record).equals(sensor))
			.map(ProcessingIntegrationTests::aggregate)
			.toList();
		assertThat(aggregates).as("aggregates of " + sensor).hasSize(expected);
		return aggregates;
	}

	/**
	 * What an anonymous caller of the management port could do before: stop processing.
	 * Refused now, and the consumer goes on turning readings into aggregates.
	 */
	@Test
	void anAnonymousStopIsRefusedAndProcessingGoesOn() {
		assertThat(changeState(binding(), "STOPPED", Map.of()).statusCode()).isEqualTo(401);
		Instant t = nextHour.getAndUpdate((hour) -> hour.plus(Duration.ofHours(1)));
		String sensor = "it-pump-mgmt";
		send(sensor, t.plusSeconds(10), "\"value\": 7");
		send(sensor, t.plusSeconds(125), "\"value\": 1");
		assertThat(aggregatesOf(sensor, 1)).singleElement()
			.satisfies((aggregate) -> assertThat(aggregate.max()).isEqualTo(7.0));
	}

	/**
	 * A consumer whose Kafka listener container stops under it (its consumer thread ends,
	 * the binding itself still "running") makes readiness DOWN, naming the binding, and
	 * the gauge 0; stopping and starting the binding through the management port brings
	 * it back.
	 */
	@Test
	void aConsumerWhoseListenerContainerDiedMakesReadinessDown() {
		Binding<?> binding = this.bindings.getConsumerBindings(binding()).get(0);
		Object adapter = new DirectFieldAccessor(binding).getPropertyValue("lifecycle");
		MessageListenerContainer container = (MessageListenerContainer) new DirectFieldAccessor(adapter)
			.getPropertyValue("messageListenerContainer");
		container.stopAbnormally(() -> {
		});
		try {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				HttpResponse<String> readiness = get("/actuator/health/readiness");
				assertThat(readiness.statusCode()).isEqualTo(503);
				assertThat(readiness.body()).contains("\"" + binding() + "\"", "container-stopped");
			});
			assertThat(get("/actuator/prometheus").body())
				.containsPattern("millrace_binding_running\\{[^}]*binding=\"processTelemetry-in-0\"[^}]*\\} 0");
		}
		finally {
			Map<String, String> admin = Map.of("X-API-Key", ADMIN);
			assertThat(changeState(binding(), "STOPPED", admin).statusCode()).isEqualTo(204);
			assertThat(changeState(binding(), "STARTED", admin).statusCode()).isEqualTo(204);
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200));
	}

	@Override
	public int managementPort() {
		return this.managementPort;
	}

	@Override
	public String adminKey() {
		return ADMIN;
	}

	@Override
	public String keyWithoutAdmin() {
		return READER;
	}

	@Override
	public String binding() {
		return "processTelemetry-in-0";
	}

	@Override
	public List<String> protectedReads() {
		return List.of("/actuator", "/actuator/info", "/actuator/streamingprogress");
	}

	private HttpResponse<String> get(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

	private static WindowAggregate aggregate(ConsumerRecord<byte[], byte[]> record) {
		try {
			return MillraceJson.mapper().readValue(record.value(), WindowAggregate.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
