package io.millrace.benchmarks.lakehouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.gold.HourlyMetricsTable;
import io.millrace.lakehouse.silver.SilverTables;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The first half of the Spark cross-read (issue 13, docs/lakehouse.md "Read by Spark"):
 * lakehouse-service's executable jar writes Bronze, Silver (readings, quarantine,
 * expectation results) and Gold (window aggregates, hourly) from a real broker stream
 * into the directory given; the tables are read back with Kernel, their row counts
 * checked against what was sent, and a few figures of each (counts, sums, one looked-up
 * value) written to {@code expected.properties} in that directory as SQL expression =
 * Kernel's answer. The second half, {@code lakehouse-spark-check}, evaluates the same
 * expressions with Apache Spark and delta-spark, a reader that shares no code with the
 * writer.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.lakehouse.CrossReadTables DIRECTORY [EVENTS]}
 */
public final class CrossReadTables {

	private static final Path JAR = Path.of("lakehouse-service", "target", "lakehouse-service-exec.jar");

	private static final int PARTITIONS = 4;

	private static final int SENSORS = 50;

	private static final int MINUTES = 90;

	private static final Instant START = Instant.parse("2026-12-02T00:00:00Z");

	private CrossReadTables() {
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args[0]).toAbsolutePath();
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : 20_000;
		if (Files.exists(root.resolve(BronzeTable.NAME))) {
			throw new IllegalStateException(root + " holds tables already; give an empty directory");
		}
		Files.createDirectories(root);
		int outOfRange = 0;
		int finals = 0;
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(Map.of("telemetry-raw", PARTITIONS,
				"telemetry-aggregates", PARTITIONS, "telemetry-deadletter", 1, "sensor-metadata", 1))) {
			try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
							ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10),
					new ByteArraySerializer(), new ByteArraySerializer())) {
				Random random = new Random(7);
				for (int i = 0; i < events; i++) {
					String sensor = "sensor-" + (i % SENSORS);
					Instant time = START.plusMillis(Duration.ofMinutes(MINUTES).toMillis() * i / events);
					// One reading in a hundred breaks the drop rule and goes to the
					// quarantine.
					boolean bad = i % 100 == 99;
					outOfRange += bad ? 1 : 0;
					double temperature = bad ? 999.0 : Math.round((20 + random.nextDouble() * 30) * 100) / 100.0;
					String json = String.format(Locale.ROOT,
							"{\"eventId\":\"evt-%07d\",\"sensorId\":\"%s\",\"timestamp\":\"%s\",\"measurements\":{\"temperature\":%s,\"pressure\":%s},\"tags\":{\"site\":\"plant-%d\"},\"schemaVersion\":1,\"ingestedAt\":\"%s\"%s}",
							i, sensor, time, temperature, Math.round((1 + random.nextDouble()) * 1000) / 1000.0, i % 3,
							time.plusMillis(25), (i % 1000 == 0) ? ",\"firmware\":\"v" + i + "\"" : "");
					send(producer, "telemetry-raw", sensor, json);
				}
				for (int s = 0; s < SENSORS; s++) {
					String sensor = "sensor-" + s;
					for (int minute = 0; minute < MINUTES; minute++) {
						Instant start = START.plusSeconds(60L * minute);
						int count = 1 + (minute + s) % 7;
						// A non-final first (Gold leaves it out), then the final.
						send(producer, "telemetry-aggregates", sensor, aggregate(sensor, start, count, 0, false));
						send(producer, "telemetry-aggregates", sensor, aggregate(sensor, start, count + 1, 1, true));
						finals++;
					}
				}
				producer.flush();
			}
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
			properties.put("millrace.lakehouse.root", root.toString());
			properties.put("millrace.lakehouse.silver.expectations.value-in-range.expression",
					"value BETWEEN -50 AND 150");
			properties.put("millrace.lakehouse.silver.expectations.value-in-range.action", "drop");
			properties.put("millrace.lakehouse.hourly.interval", "1s");
			properties.put("millrace.lakehouse.hourly.grace", "0s");
			properties.put("logging.level.root", "WARN");
			try (Admin admin = broker.admin();
					ServiceProcess service = ServiceProcess.launch("lakehouse-service", JAR, FreePorts.next(),
							FreePorts.next(), properties, List.of("-Xmx1g"), root.resolveSibling("cross-read.log"))) {
				service.awaitReady(Duration.ofMinutes(3));
				long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
				while (!(caughtUp(admin, "lakehouse-bronze", "telemetry-raw")
						&& caughtUp(admin, "lakehouse-silver", "telemetry-raw")
						&& caughtUp(admin, "lakehouse-gold", "telemetry-aggregates") && hourlyRows(root) > 0)) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(
								"The tables did not catch up; log tail:\n" + service.logTail(40));
					}
					Thread.sleep(500);
				}
			}
		}
		List<String> expected = new ArrayList<>();
		long bronze = expect(expected, root, new BronzeTable(false).definition(), events);
		expect(expected, root, SilverTables.readings(), 2L * events - outOfRange);
		expect(expected, root, SilverTables.quarantine(), outOfRange);
		expect(expected, root, new GoldTable().definition(), finals);
		expect(expected, root, HourlyMetricsTable.definition(), -1);
		expect(expected, root, SilverTables.expectationResults(), -1);
		Files.write(root.resolve("expected.properties"), expected);
		System.out.printf("Wrote %d Bronze rows and the other tables under %s; Kernel's figures in %s:%n", bronze, root,
				root.resolve("expected.properties"));
		expected.forEach((line) -> System.out.println("  " + line));
	}

	/**
	 * Reads a table with Kernel, checks its row count against what was sent (unless
	 * {@code sent} is negative), and adds its figures as {@code table|expression=value}.
	 */
	private static long expect(List<String> expected, Path root, TableDefinition definition, long sent) {
		LocalTableStorage storage = new LocalTableStorage(root);
		DeltaTableReader reader = new DeltaTableReader(DefaultEngine.create(storage.fileIO()), storage, definition);
		List<String> columns = definition.schema().fieldNames();
		List<Map<String, Object>> rows = reader.rows(columns, Optional.empty());
		if (sent >= 0 && rows.size() != sent) {
			throw new IllegalStateException(
					definition.name() + " holds " + rows.size() + " rows where " + sent + " were sent");
		}
		String table = definition.name();
		expected.add(table + "|count(*)=" + rows.size());
		if (columns.contains("source_offset")) {
			expected.add(
					table + "|sum(source_offset)=" + sum(rows, (r) -> ((Number) r.get("source_offset")).doubleValue()));
			expected.add(table + "|count(DISTINCT source_partition, source_offset)="
					+ rows.stream()
						.map((r) -> r.get("source_partition") + "/" + r.get("source_offset"))
						.distinct()
						.count());
		}
		if (columns.contains("event_id")) {
			expected.add(table + "|count(DISTINCT event_id)="
					+ rows.stream().map((r) -> r.get("event_id")).distinct().count());
			expected.add(table + "|max(CASE WHEN event_id = 'evt-0001000' THEN sensor_id END)="
					+ rows.stream()
						.filter((r) -> "evt-0001000".equals(r.get("event_id")))
						.map((r) -> String.valueOf(r.get("sensor_id")))
						.findFirst()
						.orElse("null"));
		}
		for (String column : List.of("value", "count", "sum", "passed", "failed")) {
			// Spark's sum of only nulls is null: such a column is left out.
			if (columns.contains(column) && rows.stream().anyMatch((r) -> r.get(column) != null)) {
				expected.add(table + "|sum(`" + column + "`)="
						+ sum(rows, (r) -> (r.get(column) != null) ? ((Number) r.get(column)).doubleValue() : null));
			}
		}
		if (table.equals(BronzeTable.NAME)) {
			expected.add(table + "|count(unknown_fields)="
					+ rows.stream().filter((r) -> r.get("unknown_fields") != null).count());
			expected.add(table + "|sum(measurements['temperature'])="
					+ sum(rows, (r) -> ((Map<?, ?>) r.get("measurements")).get("temperature") instanceof Number n
							? n.doubleValue() : 0.0));
			expected.add(table + "|min(unix_micros(event_time))="
					+ rows.stream().mapToLong((r) -> (Long) r.get("event_time")).min().orElse(0));
		}
		return rows.size();
	}

	private static String sum(List<Map<String, Object>> rows, Function<Map<String, Object>, Double> value) {
		double total = 0;
		for (Map<String, Object> row : rows) {
			Double cell = value.apply(row);
			total += (cell != null) ? cell : 0;
		}
		return String.format(Locale.ROOT, "%.6f", total);
	}

	private static long hourlyRows(Path root) {
		if (!Files.exists(root.resolve(HourlyMetricsTable.NAME).resolve("_delta_log"))) {
			return 0;
		}
		LocalTableStorage storage = new LocalTableStorage(root);
		return new DeltaTableReader(DefaultEngine.create(storage.fileIO()), storage, HourlyMetricsTable.definition())
			.rows(List.of("sensor_id"), Optional.empty())
			.size();
	}

	private static boolean caughtUp(Admin admin, String group, String topic) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get();
		Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
		for (int p = 0; p < PARTITIONS; p++) {
			latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
		}
		var ends = admin.listOffsets(latest).all().get();
		for (TopicPartition partition : latest.keySet()) {
			OffsetAndMetadata offset = committed.get(partition);
			if (ends.get(partition).offset() > 0
					&& (offset == null || offset.offset() < ends.get(partition).offset())) {
				return false;
			}
		}
		return true;
	}

	private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String json) {
		producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
				json.getBytes(StandardCharsets.UTF_8)));
	}

	private static String aggregate(String sensor, Instant start, int count, int revision, boolean isFinal) {
		double sum = count * (count + 1) / 2.0;
		return "{\"sensorId\":\"" + sensor + "\",\"metric\":\"temperature\",\"window\":{\"kind\":\"tumbling\","
				+ "\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(60) + "\",\"size\":\"PT1M\"},"
				+ "\"count\":" + count + ",\"sum\":" + sum + ",\"min\":1.0,\"max\":" + count + ".0,\"avg\":"
				+ (sum / count) + ",\"p50\":2.0,\"p95\":2.9,\"p99\":2.99,\"firstValue\":1.0,\"lastValue\":" + count
				+ ".0,\"final\":" + isFinal + ",\"revision\":" + revision + ",\"emittedAt\":\"" + start.plusSeconds(65)
				+ "\"}";
	}

}
