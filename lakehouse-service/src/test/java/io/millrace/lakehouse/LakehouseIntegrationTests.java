package io.millrace.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.gold.HourlyMetricsTable;
import io.millrace.lakehouse.silver.SilverTables;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.TopicClient;
import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import io.millrace.security.ManagementPlaneContract;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.local.TopicClient.header;
import static io.millrace.local.TopicClient.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * lakehouse-service against a real Kafka broker: events in on {@code telemetry-raw} and
 * aggregates in on {@code telemetry-aggregates}, the Bronze and Gold tables read back
 * with Delta Kernel's own reader.
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.lakehouse.commit.interval=500ms",
				"millrace.lakehouse.bronze.partition-by-hour=true",
				"millrace.lakehouse.silver.expectations.value-in-range.expression=value BETWEEN -50 AND 150",
				"millrace.lakehouse.silver.expectations.value-in-range.action=drop",
				"millrace.lakehouse.silver.expectations.not-too-high.expression=value <= 90",
				"millrace.lakehouse.silver.expectations.not-too-high.action=warn",
				"millrace.lakehouse.silver.metric-aliases.temp=temperature", "millrace.lakehouse.hourly.interval=1s",
				"millrace.lakehouse.hourly.grace=0s" })
class LakehouseIntegrationTests implements ManagementPlaneContract {

	static final int PARTITIONS = 3;

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(Map.of(Topics.TELEMETRY_RAW, PARTITIONS,
			Topics.TELEMETRY_AGGREGATES, PARTITIONS, Topics.TELEMETRY_DEADLETTER, 1, Topics.SENSOR_METADATA, 1));

	static final Path root = temporaryDirectory();

	static final ObjectMapper JSON = new ObjectMapper();

	static final String ADMIN = "mr_test-admin-key";

	static final String READER = "mr_test-reader-key";

	@LocalManagementPort
	int managementPort;

	@Autowired
	BindingService bindings;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.lakehouse.root", root::toString);
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
		return "writeGold-in-0";
	}

	@Test
	void bindsTheTopicsOfThePlatform() {
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(LakehouseBindings.EXPECTED);
	}

	@Test
	void everyEventOfTelemetryRawIsInBronzeOnceWithItsValuesAndStatistics() throws Exception {
		int events = 3000;
		Instant t0 = Instant.parse("2026-03-01T22:30:00Z");
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			for (int i = 0; i < events; i++) {
				String sensor = "bronze-" + (i % 40);
				// 100 minutes across midnight: two dates, three hours.
				Instant time = t0.plusSeconds(i * 2L);
				String json = (i % 3 == 0)
						? "{\"eventId\":\"b" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
								+ "\",\"value\":" + i + ",\"tags\":{\"site\":\"s" + (i % 2) + "\"},\"firmware\":\"v"
								+ (i % 5) + "\"}"
						: "{\"eventId\":\"b" + i + "\",\"sensor_id\":\"" + sensor + "\",\"timestamp\":\"" + time
								+ "\",\"measurements\":{\"temperature\":" + (i / 10.0) + "}}";
				producer.send(record(Topics.TELEMETRY_RAW, sensor, json));
			}
			producer.send(record(Topics.TELEMETRY_RAW, "bronze-poison", "{not json"));
			producer
				.send(record(Topics.TELEMETRY_RAW, "bronze-poison", "{\"sensorId\":\"bronze-poison\",\"value\":1}"));
		}
		Path table = root.resolve(BronzeTable.NAME);
		List<Map<String, Object>> rows = await("Bronze holds every event").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> bronzeRows(table), (read) -> read.size() >= events);
		Thread.sleep(1500);
		rows = bronzeRows(table);
		assertThat(rows).hasSize(events);
		assertThat(rows.stream().map((row) -> row.get("source_partition") + "@" + row.get("source_offset")).distinct())
			.hasSize(events);
		assertThat(rows.stream().map((row) -> row.get("event_id")).collect(Collectors.toSet())).hasSize(events);
		Map<String, Object> zero = rows.stream().filter((row) -> "b0".equals(row.get("event_id"))).findFirst().get();
		assertThat(zero.get("sensor_id")).isEqualTo("bronze-0");
		assertThat(zero.get("event_time")).isEqualTo(Timestamps.micros(t0));
		assertThat(zero.get("value")).isEqualTo(0.0);
		assertThat(zero.get("tags")).isEqualTo(Map.of("site", "s0"));
		assertThat(zero.get("unknown_fields")).isEqualTo("{\"firmware\":\"v0\"}");
		assertThat(zero.get("event_hour")).isEqualTo(22);
		assertThat((Long) zero.get("lakehouse_ingested_at")).isGreaterThan(Timestamps.micros(t0));
		Map<String, Object> last = rows.stream()
			.filter((row) -> ("b" + (events - 1)).equals(row.get("event_id")))
			.findFirst()
			.get();
		assertThat(last.get("measurements")).isEqualTo(Map.of("temperature", (events - 1) / 10.0));
		assertThat(last.get("event_date")).isEqualTo(Timestamps.utcDay(t0.plusSeconds((events - 1) * 2L)));
		assertThat(rows.stream().map((row) -> row.get("event_date") + "/" + row.get("event_hour")).distinct())
			.containsExactlyInAnyOrder("20513/22", "20513/23", "20514/0");
		assertThat(KernelTableReader.addActions(table)).isNotEmpty().allSatisfy((add) -> {
			JsonNode stats = JSON.readTree(add.get("stats").asText());
			assertThat(stats.get("numRecords").asLong()).isPositive();
			assertThat(stats.get("minValues").get("source_offset").asLong())
				.isLessThanOrEqualTo(stats.get("maxValues").get("source_offset").asLong());
			assertThat(stats.get("nullCount").get("value").asLong()).isGreaterThanOrEqualTo(0);
		});
		assertThat(KernelTableReader.actions(table, "txn"))
			.allSatisfy((txn) -> assertThat(txn.get("appId").asText()).matches("millrace-bronze-p[0-2]"));

		// Not events: dead-lettered with the reason and where they came from.
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			List<ConsumerRecord<byte[], byte[]>> deadLetters = deadLettersFrom(topics, Topics.TELEMETRY_RAW, 2);
			assertThat(deadLetters).hasSize(2);
			ConsumerRecord<byte[], byte[]> notJson = deadLetters.stream()
				.filter((record) -> value(record).equals("{not json"))
				.findFirst()
				.orElseThrow();
			assertThat(header(notJson, "x-millrace-error-reason")).isEqualTo("undecodable");
			assertThat(header(notJson, "x-millrace-source-topic")).isEqualTo(Topics.TELEMETRY_RAW);
			assertThat(header(notJson, "x-millrace-source-offset")).matches("\\d+");
			ConsumerRecord<byte[], byte[]> noTime = deadLetters.stream()
				.filter((record) -> value(record).contains("bronze-poison"))
				.findFirst()
				.orElseThrow();
			assertThat(header(noTime, "x-millrace-error-reason")).isEqualTo("schema-invalid");
			assertThat(header(noTime, "x-millrace-error-detail")).contains("/timestamp is required");
		}
		// The group's position is acknowledged only once the table holds the records.
		await("the consumer group's offsets are committed").atMost(Duration.ofSeconds(20))
			.until(() -> committedAtEnd("lakehouse-bronze", Topics.TELEMETRY_RAW));
	}

	@Test
	void goldHoldsEachFinalAggregateOnceAndNothingElse() throws Exception {
		Instant t0 = Instant.parse("2026-03-02T23:58:00Z");
		int windows = 120;
		Map<String, String> finals = new HashMap<>();
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			for (int w = 0; w < windows; w++) {
				String sensor = "gold-" + (w % 12);
				Instant start = t0.plusSeconds(60L * (w / 12));
				// An early result, an on-time one, then the final: only the final goes
				// in.
				producer
					.send(record(Topics.TELEMETRY_AGGREGATES, sensor, aggregate(sensor, start, 1, 0, "early", false)));
				producer.send(
						record(Topics.TELEMETRY_AGGREGATES, sensor, aggregate(sensor, start, 2, 1, "on-time", false)));
				String last = aggregate(sensor, start, 3, 2, "late", true);
				producer.send(record(Topics.TELEMETRY_AGGREGATES, sensor, last));
				finals.put(sensor + "|" + start, last);
			}
			// A window that never closes: nothing in Gold.
			producer.send(
					record(Topics.TELEMETRY_AGGREGATES, "gold-open", aggregate("gold-open", t0, 5, 0, "early", false)));
			producer.send(record(Topics.TELEMETRY_AGGREGATES, "gold-bad", "{\"sensorId\":\"gold-bad\"}"));
		}
		Path table = root.resolve(GoldTable.NAME);
		await("Gold holds every final").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> goldRows(table).size() >= windows);
		Thread.sleep(1500);
		List<Map<String, Object>> rows = goldRows(table);
		assertThat(rows).hasSize(windows);
		assertThat(rows.stream()
			.map((row) -> row.get("sensor_id") + "|" + row.get("metric") + "|" + row.get("window_kind") + "|"
					+ row.get("window_start") + "|" + row.get("window_end"))
			.distinct()).hasSize(windows);
		assertThat(rows).allSatisfy((row) -> {
			assertThat(row.get("count")).isEqualTo(3L);
			assertThat(row.get("revision")).isEqualTo(2);
			assertThat(row.get("timing")).isEqualTo("late");
			assertThat(row.get("window_size_ms")).isEqualTo(60_000L);
			assertThat((Long) row.get("window_end") - (Long) row.get("window_start")).isEqualTo(60_000_000L);
			assertThat(row.get("min")).isEqualTo(1.0);
			assertThat(row.get("max")).isEqualTo(3.0);
			assertThat(row.get("avg")).isEqualTo(2.0);
			assertThat(row.get("p95")).isEqualTo(2.9);
			assertThat(row.get("stddev")).isNull();
		});
		assertThat(rows.stream().map((row) -> row.get("window_date")).distinct())
			.containsExactlyInAnyOrder(Timestamps.utcDay(t0), Timestamps.utcDay(t0) + 1);
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			assertThat(deadLettersFrom(topics, Topics.TELEMETRY_AGGREGATES, 1)).singleElement()
				.satisfies(
						(record) -> assertThat(header(record, "x-millrace-error-reason")).isEqualTo("schema-invalid"));
		}
		assertThat(KernelTableReader.addActions(table)).allSatisfy((add) -> {
			JsonNode stats = JSON.readTree(add.get("stats").asText());
			assertThat(stats.get("minValues").has("window_start")).isTrue();
			assertThat(stats.get("maxValues").get("count").asLong()).isEqualTo(3);
		});
	}

	@Test
	void metricsAndHealthTellTheTablesState() throws Exception {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			HttpResponse<String> health = LocalHttp
				.get("http://localhost:" + this.managementPort + "/actuator/health/readiness");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"lakehouse\"").contains(BronzeTable.NAME).contains(GoldTable.NAME);
		});
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			producer.send(record(Topics.TELEMETRY_RAW, "metrics-1",
					"{\"sensorId\":\"metrics-1\",\"value\":1,\"timestamp\":\"2026-03-05T00:00:00Z\"}"));
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String metrics = LocalHttp.get("http://localhost:" + this.managementPort + "/actuator/prometheus").body();
			assertThat(metrics).containsPattern("millrace_lakehouse_rows_written_total\\{.*table=\"telemetry_events\"")
				.contains("millrace_lakehouse_commits_total")
				.contains("millrace_lakehouse_commit_seconds")
				.contains("millrace_lakehouse_written_bytes_total")
				.contains("millrace_lakehouse_committed_offset_lag")
				.containsPattern("millrace_lakehouse_rows_written_total\\{.*table=\"window_aggregates\"");
			assertThat(metrics).doesNotContainPattern(
					"millrace_lakehouse_rows_written_total\\{[^}]*table=\"telemetry_events\"[^}]*\\} 0\\.0");
		});
	}

	@Test
	void silverHoldsEachEventAndMetricOnceEnrichedAndChecked() throws Exception {
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			producer
				.send(record(Topics.SENSOR_METADATA, "silver-0",
						"{\"sensorId\":\"silver-0\",\"name\":\"Boiler zero\",\"tags\":{\"site\":\"north\"},"
								+ "\"location\":{\"site\":\"Plant A\",\"latitude\":51.5,\"longitude\":-0.1},"
								+ "\"units\":{\"temperature\":\"°C\"}}"))
				.get();
		}
		await("the registry is read").atMost(Duration.ofSeconds(30))
			.until(() -> metric("millrace_lakehouse_sensors_known") >= 1);
		int events = 200;
		Instant t0 = Instant.parse("2026-03-04T08:00:00Z");
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			for (int i = 0; i < events; i++) {
				producer.send(record(Topics.TELEMETRY_RAW, "silver-" + (i % 10), silverEvent(i, t0)));
			}
			// Resent (the same eventId, as a retrying producer does): left out of Silver.
			for (int i = 0; i < 20; i++) {
				producer.send(record(Topics.TELEMETRY_RAW, "silver-" + (i % 10), silverEvent(i, t0)));
			}
		}
		Path table = root.resolve(SilverTables.READINGS);
		// 200 events x 2 metrics, but event 7's temperature (999) is quarantined.
		int expected = events * 2 - 1;
		await("Silver holds every reading").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> silverRows(table).size() >= expected);
		Thread.sleep(1500);
		List<Map<String, Object>> rows = silverRows(table);
		assertThat(rows).hasSize(expected);
		assertThat(rows.stream().map((row) -> row.get("event_id") + "/" + row.get("metric")).distinct())
			.hasSize(expected);
		assertThat(rows.stream().map((row) -> row.get("metric")).distinct()).containsExactlyInAnyOrder("temperature",
				"rel_humidity");
		Map<String, Object> enriched = rows.stream()
			.filter((row) -> "s0".equals(row.get("event_id")) && "temperature".equals(row.get("metric")))
			.findFirst()
			.orElseThrow();
		assertThat(enriched).containsEntry("sensor_name", "Boiler zero")
			.containsEntry("location", "Plant A")
			.containsEntry("unit", "°C")
			.containsEntry("source_metric", "temp")
			.containsEntry("sensor_tags", Map.of("site", "north"))
			.containsEntry("event_time", Timestamps.micros(t0));
		assertThat(rows.stream().filter((row) -> "silver-1".equals(row.get("sensor_id"))))
			.allSatisfy((row) -> assertThat(row.get("sensor_name")).isNull());
		// warn: kept, the rule named.
		assertThat(rows.stream().filter((row) -> (Double) row.get("value") > 90)).isNotEmpty()
			.allSatisfy((row) -> assertThat(row.get("warnings")).isEqualTo("not-too-high"));
		// drop: in quarantine with the rule and the reason.
		List<Map<String, Object>> quarantined = new KernelTableReader(root.resolve(SilverTables.QUARANTINE)).rows()
			.stream()
			.filter((row) -> String.valueOf(row.get("sensor_id")).startsWith("silver-"))
			.toList();
		assertThat(quarantined).singleElement().satisfies((row) -> {
			assertThat(row).containsEntry("event_id", "s7")
				.containsEntry("metric", "temperature")
				.containsEntry("failed_rules", "value-in-range");
			assertThat((String) row.get("reason")).contains("value=999.0");
		});
		// The quality table: one row per rule per commit, and the metrics.
		List<Map<String, Object>> results = new KernelTableReader(root.resolve(SilverTables.EXPECTATION_RESULTS))
			.rows();
		assertThat(results).extracting((row) -> row.get("rule") + "/" + row.get("action"))
			.contains("value-in-range/drop", "not-too-high/warn");
		assertThat(results.stream()
			.filter((row) -> "value-in-range".equals(row.get("rule")))
			.mapToLong((row) -> (Long) row.get("failed"))
			.sum()).isGreaterThanOrEqualTo(1);
		assertThat(results).allSatisfy((row) -> assertThat(row.get("silver_version")).isNotNull());
		assertThat(metric("millrace_lakehouse_expectation_rows_total{action=\"drop\",application=\"lakehouse-service\","
				+ "outcome=\"failed\",rule=\"value-in-range\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(metric("millrace_lakehouse_silver_duplicates_total")).isGreaterThanOrEqualTo(20);
	}

	@Test
	void hourlyRowsEqualARecomputationFromTheFinals() throws Exception {
		Instant t0 = Instant.parse("2026-03-10T10:00:00Z");
		int sensors = 4;
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			// Two hours of one-minute finals, in time order, then one final past them.
			for (int minute = 0; minute <= 120; minute++) {
				for (int s = 0; s < sensors; s++) {
					String sensor = "hourly-" + s;
					producer.send(record(Topics.TELEMETRY_AGGREGATES, sensor,
							aggregate(sensor, t0.plusSeconds(60L * minute), 1 + (minute + s) % 5, 0, "on-time", true)));
				}
			}
		}
		Path hourly = root.resolve(HourlyMetricsTable.NAME);
		await("the two complete hours are rolled up").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> Files.exists(hourly) && hourlyRows(hourly).size() >= 2 * sensors);
		Thread.sleep(2500);
		List<Map<String, Object>> rows = hourlyRows(hourly);
		assertThat(rows).as("the 12:00 hour is not complete yet").hasSize(2 * sensors);
		Map<String, List<Map<String, Object>>> finals = goldRows(root.resolve(GoldTable.NAME), "hourly-").stream()
			.filter((row) -> (Long) row.get("window_start") < Timestamps.micros(t0.plusSeconds(7200)))
			.collect(Collectors.groupingBy((row) -> row.get("sensor_id") + "|"
					+ Math.floorDiv((Long) row.get("window_start"), 3_600_000_000L) * 3_600_000_000L));
		assertThat(rows).allSatisfy((row) -> {
			List<Map<String, Object>> hour = finals.get(row.get("sensor_id") + "|" + row.get("hour_start"));
			long count = hour.stream().mapToLong((f) -> (Long) f.get("count")).sum();
			double sum = hour.stream().mapToDouble((f) -> (Double) f.get("sum")).sum();
			assertThat(row.get("windows")).isEqualTo(60);
			assertThat(row.get("count")).isEqualTo(count);
			assertThat((Double) row.get("sum")).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-9));
			assertThat(row.get("min"))
				.isEqualTo(hour.stream().mapToDouble((f) -> (Double) f.get("min")).min().getAsDouble());
			assertThat(row.get("max"))
				.isEqualTo(hour.stream().mapToDouble((f) -> (Double) f.get("max")).max().getAsDouble());
			assertThat((Double) row.get("avg")).isCloseTo(sum / count, org.assertj.core.data.Offset.offset(1e-9));
			assertThat((Long) row.get("hour_end") - (Long) row.get("hour_start")).isEqualTo(3_600_000_000L);
			assertThat(row.get("metric")).isEqualTo("temperature");
		});
		assertThat(rows.stream().map((row) -> row.get("hour_start")).distinct())
			.containsExactlyInAnyOrder(Timestamps.micros(t0), Timestamps.micros(t0.plusSeconds(3600)));
	}

	private static String silverEvent(int i, Instant t0) {
		double temperature = (i == 7) ? 999 : i % 100;
		return "{\"eventId\":\"s" + i + "\",\"sensorId\":\"silver-" + (i % 10) + "\",\"timestamp\":\""
				+ t0.plusSeconds(i) + "\",\"measurements\":{\"temp\":" + temperature + ",\"Rel Humidity\":50}}";
	}

	private static List<Map<String, Object>> silverRows(Path table) {
		if (!Files.exists(table)) {
			return List.of();
		}
		return new KernelTableReader(table).rows()
			.stream()
			.filter((row) -> String.valueOf(row.get("sensor_id")).startsWith("silver-"))
			.toList();
	}

	private static List<Map<String, Object>> hourlyRows(Path table) {
		return new KernelTableReader(table).rows()
			.stream()
			.filter((row) -> String.valueOf(row.get("sensor_id")).startsWith("hourly-"))
			.toList();
	}

	private double metric(String series) throws Exception {
		String body = LocalHttp.get("http://localhost:" + this.managementPort + "/actuator/prometheus").body();
		for (String line : body.split("\n")) {
			if (line.startsWith(series + " ") || (line.startsWith(series + "{") && !series.contains("{"))) {
				return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return 0;
	}

	static String aggregate(String sensor, Instant start, int count, int revision, String timing, boolean isFinal) {
		double sum = count * (count + 1) / 2.0;
		return "{\"sensorId\":\"" + sensor + "\",\"metric\":\"temperature\",\"window\":{\"kind\":\"tumbling\","
				+ "\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(60) + "\",\"size\":\"PT1M\"},"
				+ "\"count\":" + count + ",\"sum\":" + sum + ",\"min\":1.0,\"max\":" + count + ".0,\"avg\":"
				+ (sum / count) + ",\"p50\":2.0,\"p95\":2.9,\"p99\":2.99,\"firstValue\":1.0,\"lastValue\":" + count
				+ ".0,\"final\":" + isFinal + ",\"revision\":" + revision + ",\"timing\":\"" + timing
				+ "\",\"emittedAt\":\"2026-03-03T00:00:00Z\"}";
	}

	/**
	 * The dead letters of one input, read until there are {@code expected} (and a while
	 * more).
	 */
	private static List<ConsumerRecord<byte[], byte[]>> deadLettersFrom(TopicClient topics, String source, int expected)
			throws InterruptedException {
		List<ConsumerRecord<byte[], byte[]>> read = topics.readUntil(Topics.TELEMETRY_DEADLETTER,
				(records) -> records.stream()
					.filter((r) -> source.equals(header(r, "x-millrace-source-topic")))
					.count() >= expected,
				Duration.ofSeconds(30));
		return read.stream().filter((r) -> source.equals(header(r, "x-millrace-source-topic"))).toList();
	}

	private static List<Map<String, Object>> bronzeRows(Path table) {
		if (!Files.exists(table)) {
			return List.of();
		}
		return new KernelTableReader(table).rows()
			.stream()
			.filter((row) -> String.valueOf(row.get("sensor_id")).startsWith("bronze-"))
			.toList();
	}

	private static List<Map<String, Object>> goldRows(Path table) {
		return goldRows(table, "gold-");
	}

	private static List<Map<String, Object>> goldRows(Path table, String sensorPrefix) {
		return new KernelTableReader(table).rows()
			.stream()
			.filter((row) -> String.valueOf(row.get("sensor_id")).startsWith(sensorPrefix))
			.toList();
	}

	private static boolean committedAtEnd(String group, String topic) throws InterruptedException, ExecutionException {
		try (Admin admin = broker.admin()) {
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			for (int p = 0; p < PARTITIONS; p++) {
				latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
			}
			Map<TopicPartition, Long> ends = admin.listOffsets(latest)
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get();
			Set<TopicPartition> nonEmpty = ends.entrySet()
				.stream()
				.filter((end) -> end.getValue() > 0)
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet());
			return nonEmpty.stream()
				.allMatch((partition) -> committed.get(partition) != null
						&& committed.get(partition).offset() >= ends.get(partition));
		}
	}

	static KafkaProducer<byte[], byte[]> producer() {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
		return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8));
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("lakehouse-it");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
