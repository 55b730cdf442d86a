package io.millrace.lakehouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * A rough throughput check, not part of any test run (its name matches neither Surefire's
 * nor Failsafe's patterns) and not a benchmark: 200,000 events written into Bronze from
 * memory by the writer alone (the ceiling: decode, map, Parquet, commit), then by the
 * service's exec jar from a pre-loaded topic. The Bronze benchmark of issue 13 belongs in
 * {@code benchmarks/}; until then, after {@code package}:
 * {@code ./mvnw -o -pl lakehouse-service -am verify -Dmillrace.deployment-checks.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BronzeThroughputCheck}.
 */
class BronzeThroughputCheck {

	@Test
	void measure() throws Exception {
		int events = 200_000;
		Path work = Files
			.createDirectories(Path.of("target", "throughput-check", String.valueOf(System.currentTimeMillis())));
		List<byte[]> payloads = new ArrayList<>();
		Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
		for (int i = 0; i < events; i++) {
			payloads.add(("{\"eventId\":\"e" + i + "\",\"sensorId\":\"sensor-" + (i % 500) + "\",\"timestamp\":\""
					+ t0.plusMillis(i * 5L) + "\",\"ingestedAt\":\"" + t0.plusMillis(i * 5L + 3)
					+ "\",\"measurements\":{\"temperature\":" + (i % 97) + ".5,\"pressure\":1.0" + (i % 9)
					+ "},\"schemaVersion\":1}")
				.getBytes(StandardCharsets.UTF_8));
		}
		// Ceiling: the same rows mapped and written from memory, one commit per 50,000.
		BronzeTable bronze = new BronzeTable(false);
		LocalTableStorage storage = new LocalTableStorage(work.resolve("memory"));
		DeltaTableWriter writer = new DeltaTableWriter(DefaultEngine.create(storage.fileIO()), storage,
				bronze.definition(), "adhoc");
		writer.ensureTable();
		long started = System.nanoTime();
		Optional<Long> committed = Optional.empty();
		for (int from = 0; from < events; from += 50_000) {
			List<Object[]> rows = new ArrayList<>();
			for (int i = from; i < from + 50_000; i++) {
				TelemetryEvent event = MillraceJson.mapper().readValue(payloads.get(i), TelemetryEvent.class);
				rows.add(bronze.toRow(new SourceRecord<>("0", i, payloads.get(i), event), 0L));
			}
			writer.append("p0", committed, from + 49_999L, rows);
			committed = Optional.of(from + 49_999L);
		}
		double memorySeconds = (System.nanoTime() - started) / 1e9;

		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(
				Map.of(Topics.TELEMETRY_RAW, 4, Topics.TELEMETRY_AGGREGATES, 4, Topics.TELEMETRY_DEADLETTER, 1))) {
			try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
							ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262144),
					new ByteArraySerializer(), new ByteArraySerializer())) {
				for (int i = 0; i < events; i++) {
					producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW,
							("sensor-" + (i % 500)).getBytes(StandardCharsets.UTF_8), payloads.get(i)));
				}
			}
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
			properties.put("millrace.lakehouse.root", work.resolve("service").toAbsolutePath().toString());
			try (ServiceProcess service = ServiceProcess.launch("lakehouse",
					Path.of("target", "lakehouse-service-exec.jar"), FreePorts.next(), FreePorts.next(), properties,
					List.of("-Xmx1g"), work.resolve("service.log"))) {
				service.awaitReady(Duration.ofSeconds(120));
				long ready = System.nanoTime();
				Path table = work.resolve("service").resolve(BronzeTable.NAME);
				await().atMost(Duration.ofMinutes(5))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> committedRows(table) >= events);
				double serviceSeconds = (System.nanoTime() - ready) / 1e9;
				System.out.printf(
						"Bronze throughput check: %d events; from memory %.1f s (%.0f/s); service from pre-loaded topic %.1f s after ready (%.0f/s); ratio %.2f%n",
						events, memorySeconds, events / memorySeconds, serviceSeconds, events / serviceSeconds,
						memorySeconds / serviceSeconds);
			}
		}
	}

	private static long committedRows(Path table) {
		if (!Files.exists(table.resolve("_delta_log"))) {
			return 0;
		}
		long rows = 0;
		for (var add : KernelTableReader.actions(table, "add")) {
			try {
				rows += MillraceJson.mapper().readTree(add.get("stats").asText()).get("numRecords").asLong();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		return rows;
	}

}
