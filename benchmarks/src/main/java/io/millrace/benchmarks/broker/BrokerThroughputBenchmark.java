package io.millrace.benchmarks.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import io.millrace.benchmarks.Stats;
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
import org.apache.kafka.streams.KafkaStreams;

/**
 * processing-service against a Kafka Streams topology computing the same windows from the
 * same pre-loaded topic on the same in-process broker, back to back, several rounds.
 * Throughput is measured the same way for both: from the first committed offset of the
 * consumer group to the moment the group has committed the whole topic, so startup time
 * is excluded for both.
 * <p>
 * Run from the repository root after {@code ./mvnw -q install -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.broker.BrokerThroughputBenchmark [events] [rounds]}
 */
public final class BrokerThroughputBenchmark {

	private static final String INPUT = "bench-raw";

	private static final int PARTITIONS = 4;

	private static final int SENSORS = 10_000;

	private BrokerThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		Map<String, Integer> topics = new LinkedHashMap<>();
		topics.put(INPUT, PARTITIONS);
		topics.put("bench-out", PARTITIONS);
		topics.put("bench-late", 1);
		topics.put("bench-deadletter", 1);
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(topics)) {
			preload(broker.bootstrapServers(), events);
			System.out.printf("Pre-loaded %,d events for %,d sensors into %s (%d partitions)%n", events, SENSORS, INPUT,
					PARTITIONS);
			List<Double> streams = new ArrayList<>();
			List<Double> millrace = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				if (Boolean.getBoolean("millrace.bench.millrace-only")) {
					streams.add(Double.NaN);
				}
				else {
					streams.add(runKafkaStreams(broker, "bench-streams-" + round, events));
				}
				millrace.add(runMillrace(broker, "bench-millrace-" + round, events));
				System.out.printf("round %d: Kafka Streams %,.0f events/s, Millrace %,.0f events/s%n", round,
						streams.get(round - 1), millrace.get(round - 1));
			}
			double streamsMedian = Stats.median(streams);
			double millraceMedian = Stats.median(millrace);
			System.out.printf(
					"%nmedian of %d rounds: Kafka Streams %,.0f events/s, Millrace %,.0f events/s, ratio %.2f%n",
					rounds, streamsMedian, millraceMedian, millraceMedian / streamsMedian);
		}
	}

	private static void preload(String bootstrapServers, int events) throws Exception {
		Random random = new Random(1);
		Instant start = Instant.parse("2026-11-25T00:00:00Z");
		long span = Duration.ofMinutes(10).toMillis();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < events; i++) {
				String sensor = "sensor-" + random.nextInt(SENSORS);
				Instant time = start.plusMillis(span * i / events - random.nextInt(2000));
				String json = "{\"eventId\":\"e" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
						+ "\",\"value\":" + Math.round((50 + random.nextGaussian() * 10) * 100) / 100.0 + "}";
				producer.send(new ProducerRecord<>(INPUT, sensor.getBytes(StandardCharsets.UTF_8),
						json.getBytes(StandardCharsets.UTF_8)));
			}
			producer.flush();
		}
	}

	private static double runKafkaStreams(KafkaKraftBroker broker, String applicationId, int events) throws Exception {
		try (KafkaStreams streams = KafkaStreamsWindows.build(broker.bootstrapServers(), applicationId, INPUT,
				"bench-out")) {
			streams.start();
			return awaitConsumed(broker, applicationId, events);
		}
	}

	private static double runMillrace(KafkaKraftBroker broker, String group, int events) throws Exception {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.destination", INPUT);
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.group", group);
		properties.put("spring.cloud.stream.bindings.aggregates.destination", "bench-out");
		properties.put("spring.cloud.stream.bindings.late.destination", "bench-late");
		properties.put("spring.cloud.stream.bindings.deadletter.destination", "bench-deadletter");
		properties.put("millrace.processing.windows[0].kind", "tumbling");
		properties.put("millrace.processing.windows[0].size", "1m");
		properties.put("millrace.processing.windows[1].kind", "hopping");
		properties.put("millrace.processing.windows[1].size", "5m");
		properties.put("millrace.processing.windows[1].advance", "1m");
		properties.put("millrace.processing.max-clock-skew", "3650d");
		properties.put("logging.level.root", "WARN");
		// Snapshots on, as the comparison requires; a fresh store per run.
		properties.put("millrace.processing.checkpoint.directory",
				Files.createTempDirectory("millrace-bench-checkpoints").toString());
		// Extra service properties for experiments:
		// -Dmillrace.bench.props=key=value,key=value
		for (String pair : System.getProperty("millrace.bench.props", "").split(",")) {
			if (pair.contains("=")) {
				properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		}
		try (ServiceProcess service = ServiceProcess.launch("processing-service",
				Path.of("processing-service", "target", "processing-service-exec.jar"), FreePorts.next(),
				FreePorts.next(), properties, List.of(System.getProperty("millrace.bench.jvm", "-Xmx2g").split(" ")),
				Path.of("benchmarks", "target", group + ".log"))) {
			return awaitConsumed(broker, group, events);
		}
	}

	/**
	 * Events per second between the group's first commit and its commit of the whole
	 * topic.
	 */
	private static double awaitConsumed(KafkaKraftBroker broker, String group, int events) throws Exception {
		try (Admin admin = broker.admin()) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (int p = 0; p < PARTITIONS; p++) {
				partitions.add(new TopicPartition(INPUT, p));
			}
			long end = admin
				.listOffsets(partitions.stream().collect(Collectors.toMap((tp) -> tp, (tp) -> OffsetSpec.latest())))
				.all()
				.get()
				.values()
				.stream()
				.mapToLong((info) -> info.offset())
				.sum();
			long firstSeen = -1;
			long firstCommitted = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while (System.nanoTime() < deadline) {
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
					.partitionsToOffsetAndMetadata()
					.get();
				long sum = committed.values()
					.stream()
					.filter((o) -> o != null)
					.mapToLong(OffsetAndMetadata::offset)
					.sum();
				long now = System.nanoTime();
				if (sum > 0 && firstSeen < 0) {
					firstSeen = now;
					firstCommitted = sum;
				}
				if (sum >= end) {
					return (end - firstCommitted) / ((now - firstSeen) / 1e9);
				}
				Thread.sleep(50);
			}
			throw new IllegalStateException(group + " did not consume " + events + " events in 10 minutes");
		}
	}

}
