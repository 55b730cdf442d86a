package io.millrace.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.processing.engine.EmissionRules;
import io.millrace.storage.azure.AzuriteServer;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under failure, against a real broker and the real service JVMs (the exec
 * jar): while a stream of 100,000 events flows into {@code telemetry-raw}, one instance
 * is killed with SIGKILL at random moments and restarted, and a pair of instances in one
 * consumer group loses one member to SIGKILL. Afterwards an uninterrupted instance reads
 * the same input. Each scenario has its own consumer group, output topics and checkpoint
 * directory, so all three read the same records and write apart.
 * <p>
 * Required: the final aggregates of each failing scenario equal the uninterrupted run's;
 * every record emitted more than once is byte-identical to its first emission; late
 * events and dead letters match too. The runs have allowed lateness and early results on,
 * and readings arriving within the lateness: every scenario's results obey
 * {@link EmissionRules} across the kills (one on-time result per window, nothing waiting
 * for the final).
 */
class ProcessingRecoveryIntegrationTests {

	private static final int EVENTS = 100_000;

	private static final int PARTITIONS = 4;

	private static final long SEED = Long.getLong("millrace.recovery.seed", System.nanoTime());

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	/** Under target/, so the services' logs survive a failure for whoever reads it. */
	static Path work;

	static KafkaKraftBroker broker;

	@BeforeAll
	static void startBroker() throws IOException {
		work = Files.createDirectories(Path.of("target", "recovery-test"))
			.resolve(String.valueOf(System.currentTimeMillis()));
		broker = KafkaKraftBroker.startTemporary(Map.of(Topics.TELEMETRY_RAW, PARTITIONS));
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void finalResultsSurviveKillsAndHandOversExactly() throws Exception {
		Random random = new Random(SEED);
		String why = "seed " + SEED + " (rerun with -Dmillrace.recovery.seed=" + SEED + ")";
		ProcessingScenario crashing = new ProcessingScenario(work, broker.bootstrapServers(), "crashing");
		// The pair keeps its checkpoints in Azure Blob Storage (Azurite): the survivor
		// restores the killed member's partitions from there.
		ProcessingScenario pair = new ProcessingScenario(work, broker.bootstrapServers(), "pair",
				Map.of("millrace.storage.type", "azure-blob", "millrace.storage.azure.connection-string",
						azurite.connectionString(), "millrace.storage.azure.container", "recovery-pair"));
		ProcessingScenario reference = new ProcessingScenario(work, broker.bootstrapServers(), "reference");
		ExecutorService background = Executors.newFixedThreadPool(3);
		try {
			ServiceProcess crashingInstance = crashing.launch(1);
			ServiceProcess first = pair.launch(1);
			ServiceProcess second = pair.launch(2);
			for (ServiceProcess instance : List.of(crashingInstance, first, second)) {
				instance.awaitReady(Duration.ofSeconds(120));
			}
			Future<Integer> written = background.submit(() -> writeStream(new Random(random.nextLong())));
			long crashSeed = random.nextLong();
			Future<ServiceProcess> crashes = background
				.submit(() -> killAndRestart(crashing, crashingInstance, new Random(crashSeed), 3));
			long pairSeed = random.nextLong();
			Future<?> handOver = background.submit(() -> {
				sleep(Duration.ofMillis(3000 + new Random(pairSeed).nextInt(6000)));
				first.kill();
				return null;
			});
			int records = written.get(5, TimeUnit.MINUTES);
			handOver.get(1, TimeUnit.MINUTES);
			ServiceProcess lastCrashing = crashes.get(5, TimeUnit.MINUTES);

			crashing.awaitCaughtUp(Duration.ofMinutes(3));
			pair.awaitCaughtUp(Duration.ofMinutes(3));
			lastCrashing.close();
			second.close();

			try (ServiceProcess uninterrupted = reference.launch(1)) {
				uninterrupted.awaitReady(Duration.ofSeconds(120));
				reference.awaitCaughtUp(Duration.ofMinutes(3));
			}
			Outputs expected = outputs(reference);
			assertThat(records).isGreaterThan(EVENTS);
			assertThat(expected.finals()).as("the reference run emits final aggregates").hasSizeGreaterThan(1000);
			assertThat(expected.late()).as("the stream has late events").isNotEmpty();
			assertThat(expected.deadLetters()).as("the stream has poison records").isNotEmpty();
			assertThat(expected.results()).as("the reference run emits early results")
				.anyMatch((result) -> result.timing().equals(WindowAggregate.EARLY));
			assertThat(expected.results()).as("the reference run updates windows with late readings")
				.anyMatch((result) -> result.timing().equals(WindowAggregate.LATE) && !result.isFinal());
			assertThat(new EmissionRules(true).addAll(expected.results()).assertObeyed("reference, " + why))
				.isEqualTo(expected.finals().size());

			assertThat(crashing.restoredPartitions()).as("restarts restored checkpoints, %s", why).isPositive();
			assertThat(pair.logOf(2)).as("the survivor took over the killed member's partitions, %s", why)
				.contains("Restored partition");
			assertThat(pair.logOf(1) + pair.logOf(2)).as("the pair's checkpoints are in Blob Storage")
				.contains("AzureBlobObjectStore");
			System.out.printf(
					"Recovery test, %s: %d records in, reference emitted %d final aggregates, %d late, %d dead letters%n",
					why, records, expected.finals().size(), expected.late().size(), expected.deadLetters().size());
			for (ProcessingScenario failing : List.of(crashing, pair)) {
				Outputs actual = outputs(failing);
				System.out.printf("  %s: %d aggregate records (%d sent again), %d partition restores%n", failing.name,
						actual.aggregateRecords(), actual.aggregateRecords() - actual.distinctEmissions(),
						failing.restoredPartitions());
				String scenario = failing.name + ", " + why;
				assertThat(actual.finals().keySet()).as("final windows of %s", scenario)
					.isEqualTo(expected.finals().keySet());
				assertThat(actual.finals()).as("final values of %s", scenario).isEqualTo(expected.finals());
				assertThat(actual.late()).as("late events of %s", scenario).isEqualTo(expected.late());
				assertThat(actual.deadLetters()).as("dead letters of %s", scenario).isEqualTo(expected.deadLetters());
				assertThat(actual.conflictingReEmissions()).as("re-emissions that differ, %s", scenario).isEmpty();
				assertThat(new EmissionRules(true).addAll(actual.results()).assertObeyed(scenario))
					.isEqualTo(expected.finals().size());
			}
		}
		finally {
			background.shutdownNow();
			for (ProcessingScenario scenario : List.of(crashing, pair, reference)) {
				scenario.stopAll();
			}
		}
	}

	private static ServiceProcess killAndRestart(ProcessingScenario scenario, ServiceProcess initial, Random random,
			int kills) {
		ServiceProcess current = initial;
		for (int kill = 1; kill <= kills; kill++) {
			sleep(Duration.ofMillis(1500 + random.nextInt(3500)));
			current.kill();
			current = scenario.launch(1);
			current.awaitReady(Duration.ofSeconds(120));
		}
		return current;
	}

	/**
	 * 100,000 events over 200 sensors, about 4,000 per second: bounded disorder (within
	 * the 5 s tolerance), 1% duplicates, 0.5% events ten minutes late, 1% events behind
	 * the watermark but within the 10 s allowed lateness, 0.1% records that are not JSON,
	 * and sensors that pause so sessions close. Last, one event per sensor an hour later
	 * moves every partition's watermark past all windows.
	 * @return the number of records written
	 */
	private static Integer writeStream(Random random) {
		Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
		List<ObjectNode> recent = new ArrayList<>();
		int written = 0;
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			long started = System.nanoTime();
			for (int i = 0; i < EVENTS; i++) {
				long base = t0.toEpochMilli() + i * 10L;
				double kind = random.nextDouble();
				int sensor = random.nextInt(150);
				if ((base / 60_000) % 2 == 0 && random.nextDouble() < 0.3) {
					sensor = 150 + random.nextInt(50);
				}
				String sensorId = "sensor-" + sensor;
				if (kind < 0.001) {
					producer.send(record(sensorId, "{\"sensorId\": \"" + sensorId + "\", truncated"));
				}
				else if (kind < 0.011 && !recent.isEmpty()) {
					ObjectNode again = recent.get(random.nextInt(recent.size()));
					producer.send(record(again.get("sensorId").asText(), again.toString()));
				}
				else {
					long time = (kind < 0.016) ? base - 600_000
							: (kind < 0.026) ? base - 6_000 - random.nextInt(6_000) : base - random.nextInt(4000);
					ObjectNode event = event("e" + i, sensorId, time, base, random);
					producer.send(record(sensorId, event.toString()));
					recent.add(event);
					if (recent.size() > 100) {
						recent.remove(0);
					}
				}
				written++;
				if (i % 1000 == 999) {
					producer.flush();
					long due = started + (i + 1) * 250_000L;
					sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
				}
			}
			long end = t0.toEpochMilli() + EVENTS * 10L + 3_600_000;
			for (int sensor = 0; sensor < 200; sensor++) {
				producer.send(record("sensor-" + sensor,
						event("flush-" + sensor, "sensor-" + sensor, end, end, random).toString()));
				written++;
			}
		}
		return written;
	}

	private static ObjectNode event(String id, String sensorId, long time, long received, Random random) {
		ObjectNode event = MillraceJson.mapper().createObjectNode();
		event.put("eventId", id);
		event.put("sensorId", sensorId);
		event.put("timestamp", Instant.ofEpochMilli(time).toString());
		event.put("ingestedAt", Instant.ofEpochMilli(received).toString());
		ObjectNode measurements = event.putObject("measurements");
		measurements.put("temperature", Math.round((60 + random.nextGaussian() * 10) * 100) / 100.0);
		if (random.nextBoolean()) {
			measurements.put("pressure", Math.round(random.nextDouble() * 500) / 100.0);
		}
		return event;
	}

	private static ProducerRecord<byte[], byte[]> record(String key, String value) {
		return new ProducerRecord<>(Topics.TELEMETRY_RAW, key.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis(), 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Outputs outputs(ProcessingScenario scenario) {
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			List<ConsumerRecord<byte[], byte[]>> aggregates = readAll(topics, scenario.name + "-aggregates");
			List<ConsumerRecord<byte[], byte[]>> late = readAll(topics, scenario.name + "-late");
			List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(topics, scenario.name + "-deadletter");
			return Outputs.of(aggregates, late, deadLetters);
		}
	}

	/** Reads until a whole second passes without a new record. */
	private static List<ConsumerRecord<byte[], byte[]>> readAll(TopicClient topics, String topic) {
		List<Integer> sizes = new ArrayList<>();
		return topics.readUntil(topic, (records) -> {
			sizes.add(records.size());
			return sizes.size() > 10 && sizes.get(sizes.size() - 6).equals(records.size());
		}, Duration.ofSeconds(60));
	}

	/**
	 * What a run published.
	 *
	 * @param finals final aggregate per window key, without {@code emittedAt} and
	 * {@code revision}
	 * @param late the late events
	 * @param deadLetters source partition and offset of each dead letter
	 * @param conflictingReEmissions (window, revision) pairs emitted with different bytes
	 * @param aggregateRecords aggregate records read
	 * @param distinctEmissions distinct (window, revision, finality) among them
	 * @param results every aggregate record, in the order of its partition
	 */
	private record Outputs(Map<String, String> finals, Set<String> late, Set<String> deadLetters,
			List<String> conflictingReEmissions, int aggregateRecords, int distinctEmissions,
			List<WindowAggregate> results) {

		static Outputs of(List<ConsumerRecord<byte[], byte[]>> aggregates, List<ConsumerRecord<byte[], byte[]>> late,
				List<ConsumerRecord<byte[], byte[]>> deadLetters) {
			Map<String, String> finals = new HashMap<>();
			Map<String, String> firstEmission = new HashMap<>();
			List<String> conflicts = new ArrayList<>();
			List<WindowAggregate> results = new ArrayList<>();
			for (ConsumerRecord<byte[], byte[]> record : aggregates) {
				String json = new String(record.value(), StandardCharsets.UTF_8);
				results.add(read(json));
				ObjectNode aggregate = (ObjectNode) readTree(json);
				JsonNode window = aggregate.get("window");
				String key = aggregate.get("sensorId").asText() + "|" + aggregate.get("metric").asText() + "|"
						+ window.get("kind").asText() + "|" + window.get("start").asText() + "|"
						+ window.get("end").asText();
				String emission = key + "|" + aggregate.get("revision").asText() + "|"
						+ aggregate.get("final").asText();
				String earlier = firstEmission.putIfAbsent(emission, json);
				if (earlier != null && !earlier.equals(json)) {
					conflicts.add(emission);
				}
				if (aggregate.get("final").asBoolean()) {
					// How many early results came before the final depends on processing
					// time, so its revision differs between runs; its values do not.
					aggregate.remove("emittedAt");
					aggregate.remove("revision");
					finals.put(key, aggregate.toString());
				}
			}
			Set<String> lateEvents = new HashSet<>();
			late.forEach((record) -> lateEvents.add(new String(record.value(), StandardCharsets.UTF_8)));
			Set<String> dead = new HashSet<>();
			deadLetters.forEach((record) -> dead.add(TopicClient.header(record, "x-millrace-source-partition") + "@"
					+ TopicClient.header(record, "x-millrace-source-offset")));
			return new Outputs(finals, lateEvents, dead, conflicts, aggregates.size(), firstEmission.size(), results);
		}

		private static WindowAggregate read(String json) {
			try {
				return MillraceJson.mapper().readValue(json, WindowAggregate.class);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private static JsonNode readTree(String json) {
			try {
				return MillraceJson.mapper().readTree(json);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
