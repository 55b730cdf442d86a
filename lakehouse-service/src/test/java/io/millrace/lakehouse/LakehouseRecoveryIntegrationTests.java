package io.millrace.lakehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.silver.SilverTables;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.local.TopicClient;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once under failure, against a real broker and the real service JVM (the exec
 * jar): while events flow into {@code telemetry-raw} and aggregates into
 * {@code telemetry-aggregates}, the service is killed with SIGKILL twice at random
 * moments and restarted. Afterwards Bronze must hold every event the broker acknowledged
 * exactly once (by source partition and offset: none missing, none twice), Gold every
 * final aggregate exactly once and no other, Silver every (event, metric) exactly once
 * (events resent with the same eventId included), and every poison record must have been
 * dead-lettered.
 */
class LakehouseRecoveryIntegrationTests {

	private static final int EVENTS = 40_000;

	private static final int WINDOWS = 4_000;

	private static final int PARTITIONS = 4;

	private static final long SEED = Long.getLong("millrace.recovery.seed", System.nanoTime());

	private static final Path JAR = Path.of("target", "lakehouse-service-exec.jar");

	static Path work;

	static KafkaKraftBroker broker;

	@BeforeAll
	static void startBroker() throws IOException {
		work = Files.createDirectories(Path.of("target", "recovery-test"))
			.resolve(String.valueOf(System.currentTimeMillis()));
		broker = KafkaKraftBroker.startTemporary(Map.of(Topics.TELEMETRY_RAW, PARTITIONS, Topics.TELEMETRY_AGGREGATES,
				PARTITIONS, Topics.TELEMETRY_DEADLETTER, 1));
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void tablesHoldEachRecordExactlyOnceAfterTwoKills() throws Exception {
		Random random = new Random(SEED);
		String why = "seed " + SEED + " (rerun with -Dmillrace.recovery.seed=" + SEED + ")";
		Written written = new Written();
		List<ServiceProcess> launched = Collections.synchronizedList(new ArrayList<>());
		ExecutorService background = Executors.newFixedThreadPool(2);
		try {
			ServiceProcess first = launch(launched);
			first.awaitReady(Duration.ofSeconds(120));
			long streamSeed = random.nextLong();
			Future<Boolean> stream = background.submit(() -> writeStream(new Random(streamSeed), written));
			long killSeed = random.nextLong();
			Future<ServiceProcess> kills = background.submit(() -> {
				Random kill = new Random(killSeed);
				ServiceProcess current = first;
				for (int i = 0; i < 2; i++) {
					sleep(Duration.ofMillis(1500 + kill.nextInt(3000)));
					current.kill();
					written.kills.incrementAndGet();
					current = launch(launched);
					current.awaitReady(Duration.ofSeconds(120));
				}
				return current;
			});
			ServiceProcess last = kills.get(3, TimeUnit.MINUTES);
			assertThat(stream.get(3, TimeUnit.MINUTES)).as("the stream flowed until after the second kill").isTrue();

			Path bronze = work.resolve("lakehouse").resolve(BronzeTable.NAME);
			Path gold = work.resolve("lakehouse").resolve(GoldTable.NAME);
			await("Bronze holds every event, " + why).atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> new KernelTableReader(bronze).rows().size() >= written.events.size());
			await("Gold holds every final, " + why).atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> new KernelTableReader(gold).rows().size() >= written.finals.size());
			Path silver = work.resolve("lakehouse").resolve(SilverTables.READINGS);
			long distinctEvents = written.events.values().stream().distinct().count();
			await("Silver holds every event's reading, " + why).atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> new KernelTableReader(silver).rows().size() >= distinctEvents);
			// Anything still to come would be a duplicate: give it the time to show.
			Thread.sleep(3000);
			last.close();

			List<Map<String, Object>> bronzeRows = new KernelTableReader(bronze).rows();
			Map<String, Long> bronzeCopies = copies(bronzeRows);
			assertThat(bronzeCopies.values()).as("no event twice in Bronze, %s", why).allMatch((count) -> count == 1);
			assertThat(bronzeCopies.keySet()).as("every acknowledged event in Bronze, %s", why)
				.isEqualTo(written.events.keySet());
			for (Map<String, Object> row : bronzeRows) {
				String at = row.get("source_partition") + "@" + row.get("source_offset");
				assertThat(row.get("event_id")).as("event at %s", at).isEqualTo(written.events.get(at));
			}
			List<Map<String, Object>> goldRows = new KernelTableReader(gold).rows();
			Map<String, Long> goldCopies = copies(goldRows);
			assertThat(goldCopies.values()).as("no final twice in Gold, %s", why).allMatch((count) -> count == 1);
			assertThat(goldCopies.keySet()).as("every final in Gold and nothing else, %s", why)
				.isEqualTo(written.finals);
			assertThat(goldRows.stream()
				.map((row) -> row.get("sensor_id") + "|" + row.get("window_start"))
				.collect(Collectors.toSet())).hasSize(WINDOWS);
			List<Map<String, Object>> silverRows = new KernelTableReader(silver).rows();
			Map<String, Long> silverCopies = silverRows.stream()
				.collect(Collectors.groupingBy((row) -> row.get("event_id") + "/" + row.get("metric"),
						Collectors.counting()));
			assertThat(silverCopies.values()).as("no (event, metric) twice in Silver, resends included, %s", why)
				.allMatch((count) -> count == 1);
			assertThat(silverRows.stream().map((row) -> (String) row.get("event_id")).collect(Collectors.toSet()))
				.as("every acknowledged event in Silver, %s", why)
				.isEqualTo(Set.copyOf(written.events.values()));
			try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
				Set<String> deadLettered = topics
					.readUntil(Topics.TELEMETRY_DEADLETTER, (read) -> read.size() >= written.poison.size(),
							Duration.ofSeconds(30))
					.stream()
					.map((record) -> TopicClient.header(record, "x-millrace-source-partition") + "@"
							+ TopicClient.header(record, "x-millrace-source-offset"))
					.collect(Collectors.toSet());
				assertThat(deadLettered).as("every poison record dead-lettered, %s", why).isEqualTo(written.poison);
			}
			String logs = logs();
			assertThat(launched).hasSize(3);
			assertThat(logs).as("restarts resumed from the offsets the tables hold")
				.containsPattern(
						"Partition \\d of telemetry-raw is committed up to offset \\d+ in " + BronzeTable.NAME);
			System.out
				.printf("Lakehouse recovery test, %s: %d events (%d poison), %d aggregates (%d finals), two kills; "
						+ "Bronze %d rows, Gold %d rows, %d Bronze commits; %d Parquet files of Bronze that no commit "
						+ "references (a kill between writing and committing; a vacuum removes them); Silver %d rows%n",
						why, written.events.size(), written.poison.size(), 2 * WINDOWS, written.finals.size(),
						bronzeRows.size(), goldRows.size(), KernelTableReader.actions(bronze, "txn").size(),
						orphans(bronze), silverRows.size());
		}
		finally {
			background.shutdownNow();
			launched.forEach(ServiceProcess::close);
		}
	}

	private static long orphans(Path table) throws IOException {
		Set<String> referenced = KernelTableReader.addActions(table)
			.stream()
			.map((add) -> java.net.URLDecoder.decode(add.get("path").asText(), StandardCharsets.UTF_8))
			.collect(Collectors.toSet());
		try (var files = Files.walk(table)) {
			return files
				.filter((file) -> file.toString().endsWith(".parquet") && !file.toString().contains("_delta_log"))
				.map((file) -> table.relativize(file).toString())
				.filter((file) -> !referenced.contains(file))
				.count();
		}
	}

	private static Map<String, Long> copies(List<Map<String, Object>> rows) {
		return rows.stream()
			.collect(Collectors.groupingBy((row) -> row.get("source_partition") + "@" + row.get("source_offset"),
					Collectors.counting()));
	}

	private static ServiceProcess launch(List<ServiceProcess> launched) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
		properties.put("millrace.lakehouse.root", work.resolve("lakehouse").toAbsolutePath().toString());
		properties.put("millrace.lakehouse.commit.interval", "500ms");
		properties.put("logging.level.io.millrace.lakehouse", "DEBUG");
		Path log = work.resolve("lakehouse-" + launched.size() + ".log");
		ServiceProcess process = ServiceProcess.launch("lakehouse-service", JAR, FreePorts.next(), FreePorts.next(),
				properties, ServiceProcess.DEFAULT_JVM_OPTIONS, log);
		launched.add(process);
		return process;
	}

	/**
	 * Events at about 1,000 per second over 200 sensors, 0.1% poison records, at least
	 * 40,000 and until 2 s after the second kill (a restart takes about 10 s here);
	 * window aggregates beside them, a non-final then the final of each window. What the
	 * broker acknowledged is recorded by partition and offset.
	 */
	private static boolean writeStream(Random random, Written written) {
		Instant t0 = Instant.parse("2026-04-01T00:00:00Z");
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			long started = System.nanoTime();
			int window = 0;
			// At least EVENTS, and on for 2,000 more after the second kill however slow
			// the
			// restarts are, so that both kills hit a flowing stream.
			int secondKillSeenAt = -1;
			for (int i = 0;; i++) {
				if (secondKillSeenAt < 0 && written.kills.get() >= 2) {
					secondKillSeenAt = i;
				}
				if (i >= EVENTS && secondKillSeenAt >= 0 && i >= secondKillSeenAt + 2_000) {
					break;
				}
				if (i >= 4 * EVENTS) {
					return false;
				}
				String sensor = "sensor-" + random.nextInt(200);
				Instant time = t0.plusMillis(i * 10L);
				if (random.nextDouble() < 0.001) {
					send(producer, Topics.TELEMETRY_RAW, sensor, "{\"sensorId\": \"" + sensor + "\", truncated",
							(at) -> written.poison.add(at));
				}
				else {
					String id = "e" + i;
					String json = "{\"eventId\":\"" + id + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
							+ "\",\"measurements\":{\"temperature\":" + random.nextInt(100) + "},\"note\":\"n" + i
							+ "\"}";
					send(producer, Topics.TELEMETRY_RAW, sensor, json, (at) -> written.events.put(at, id));
					if (i % 250 == 0) {
						// Resent, as a retrying producer does: twice in Bronze, once in
						// Silver.
						send(producer, Topics.TELEMETRY_RAW, sensor, json, (at) -> written.events.put(at, id));
					}
				}
				if (i % (EVENTS / WINDOWS) == 0 && window < WINDOWS) {
					String windowSensor = "sensor-" + (window % 200);
					Instant start = t0.plusSeconds(60L * (window / 200));
					send(producer, Topics.TELEMETRY_AGGREGATES, windowSensor,
							LakehouseIntegrationTests.aggregate(windowSensor, start, 1, 0, "early", false), (at) -> {
							});
					send(producer, Topics.TELEMETRY_AGGREGATES, windowSensor,
							LakehouseIntegrationTests.aggregate(windowSensor, start, 2, 1, "on-time", true),
							(at) -> written.finals.add(at));
					window++;
				}
				if (i % 1000 == 999) {
					producer.flush();
					long due = started + (i + 1) * 1_000_000L;
					sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
				}
			}
			producer.flush();
		}
		return true;
	}

	private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value,
			java.util.function.Consumer<String> acknowledged) {
		producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8)), (metadata, ex) -> {
					if (ex == null) {
						acknowledged.accept(metadata.partition() + "@" + metadata.offset());
					}
				});
	}

	private static String logs() throws IOException {
		StringBuilder all = new StringBuilder();
		try (var files = Files.list(work)) {
			for (Path log : files.filter((file) -> file.toString().endsWith(".log")).toList()) {
				all.append(Files.readString(log));
			}
		}
		return all.toString();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** What the broker acknowledged, by "partition@offset". */
	private static final class Written {

		final Map<String, String> events = new ConcurrentHashMap<>();

		final Set<String> poison = ConcurrentHashMap.newKeySet();

		final Set<String> finals = ConcurrentHashMap.newKeySet();

		final java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();

	}

}
