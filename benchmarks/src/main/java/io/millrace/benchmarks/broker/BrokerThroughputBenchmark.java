package io.millrace.benchmarks.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.benchmarks.Stats;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

/**
 * processing-service against the Kafka Streams topology an expert would write for the
 * same windows ({@link KafkaStreamsWindows}), from the same pre-loaded topic on the same
 * in-process broker, back to back, several rounds; and the ceiling, Kafka's own
 * {@code kafka-consumer-perf-test} ({@code ConsumerPerformance}, its own JVM) reading the
 * same topic in the same round.
 * <p>
 * The clock is the same for both systems and covers all of their work: it starts when the
 * consumer group first commits (startup excluded) and stops when the benchmark, reading
 * the system's output topic, has seen every final window the run must produce. That set,
 * with each window's count and sum, is computed here from the generated events with the
 * rules both systems share ({@link BenchmarkWindows}); a system that emits a different
 * set, another count or another sum fails the run before any figure is printed.
 * <p>
 * Run from the repository root after {@code ./mvnw -q install -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.broker.BrokerThroughputBenchmark [events] [rounds]}
 * ({@code -Dmillrace.bench.streams-guarantees=exactly_once_v2,at_least_once} chooses the
 * peer's runs; {@code -Dmillrace.bench.millrace-only=true} skips them;
 * {@code -Dmillrace.bench.jars=new=path/a.jar,old=path/b.jar} runs several builds of the
 * service in each round, ratios against the first;
 * {@code -Dmillrace.bench.props.<name>=key=value,...} sets service properties for one of
 * them; "{run}" in {@code -Dmillrace.bench.jvm} becomes the run's name, for one JFR file
 * per run). The peer runs in a fresh JVM of its own in every round, as Millrace does
 * ({@code -Dmillrace.bench.streams-in-benchmark-jvm=true}: in the benchmark's JVM, with
 * the broker, warm from earlier rounds, as before).
 */
public final class BrokerThroughputBenchmark {

	private static final String INPUT = "bench-raw";

	private static final int PARTITIONS = 4;

	private static final int SENSORS = 10_000;

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Events per CPU-second of each system, by run name without the round. */
	private static final Map<String, List<Double>> EVENTS_PER_CPU_SECOND = new LinkedHashMap<>();

	private BrokerThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		List<String> guarantees = Boolean.getBoolean("millrace.bench.millrace-only") ? List.of() : List
			.of(System.getProperty("millrace.bench.streams-guarantees", "exactly_once_v2,at_least_once").split(","));
		// Service jars to run in each round, name=path: an A/B of two builds sees the
		// same
		// noise.
		Map<String, Path> jars = new LinkedHashMap<>();
		for (String jar : System
			.getProperty("millrace.bench.jars", "millrace=processing-service/target/processing-service-exec.jar")
			.split(",")) {
			jars.put(jar.substring(0, jar.indexOf('=')), Path.of(jar.substring(jar.indexOf('=') + 1)));
		}
		Map<String, Integer> topics = new LinkedHashMap<>();
		topics.put(INPUT, PARTITIONS);
		topics.put("bench-late", 1);
		topics.put("bench-deadletter", 1);
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(topics)) {
			BenchmarkWindows windows = preload(broker.bootstrapServers(), events);
			Map<String, BenchmarkWindows.Aggregate> expected = windows.finals();
			System.out.printf(
					"Pre-loaded %,d events for %,d sensors into %s (%d partitions); %,d final windows expected, %,d readings late for a window (grace %s)%n",
					events, SENSORS, INPUT, PARTITIONS, expected.size(), windows.dropped(), BenchmarkWindows.GRACE);
			Map<String, List<Double>> rates = new LinkedHashMap<>();
			for (int round = 1; round <= rounds; round++) {
				System.out.printf("round %d: load average %s%n", round, loadAverage());
				rates.computeIfAbsent("ceiling", (k) -> new ArrayList<>())
					.add(consumerPerfTest(broker.bootstrapServers(), events, round));
				for (String guarantee : guarantees) {
					rates.computeIfAbsent("streams " + guarantee, (k) -> new ArrayList<>())
						.add(runKafkaStreams(broker, "bench-streams-" + guarantee + "-" + round, guarantee, events,
								expected));
				}
				for (Map.Entry<String, Path> jar : jars.entrySet()) {
					rates.computeIfAbsent(jar.getKey(), (k) -> new ArrayList<>())
						.add(runMillrace(broker, jar.getKey(), "bench-" + jar.getKey() + "-" + round, jar.getValue(),
								events, expected));
				}
				StringBuilder line = new StringBuilder("round " + round + ":");
				rates.forEach((name, values) -> line
					.append(String.format(" %s %,.0f;", name, values.get(values.size() - 1))));
				System.out.println(line);
			}
			System.out.printf("%nmedian of %d rounds (load average now %s):%n", rounds, loadAverage());
			String first = jars.keySet().iterator().next();
			double millrace = Stats.median(rates.get(first));
			rates.forEach((name, values) -> {
				double median = Stats.median(values);
				System.out.printf("  %-28s %,10.0f events/s  rounds %s  " + first + " / this %.2f%n", name, median,
						values.stream().map((v) -> String.format("%,.0f", v)).collect(Collectors.joining(" / ")),
						millrace / median);
			});
			EVENTS_PER_CPU_SECOND.forEach((name, values) -> System.out.printf(
					"  %-28s %,10.0f events per CPU-second (median; its own threads/JVM, the broker not counted)%n",
					name, Stats.median(values)));
		}
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static BenchmarkWindows preload(String bootstrapServers, int events) throws Exception {
		Random random = new Random(1);
		Instant start = Instant.parse("2026-11-25T00:00:00Z");
		long span = Duration.ofMinutes(10).toMillis();
		BenchmarkWindows windows = new BenchmarkWindows();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < events; i++) {
				String sensor = "sensor-" + random.nextInt(SENSORS);
				Instant time = start.plusMillis(span * i / events - random.nextInt(2000));
				double value = Math.round((50 + random.nextGaussian() * 10) * 100) / 100.0;
				String json = "{\"eventId\":\"e" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
						+ "\",\"value\":" + value + "}";
				byte[] key = sensor.getBytes(StandardCharsets.UTF_8);
				// The default partitioner's choice for a keyed record, sent to that
				// partition explicitly so the expected results know it.
				int partition = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
				windows.add(partition, sensor, time.toEpochMilli(), value);
				producer.send(new ProducerRecord<>(INPUT, partition, key, json.getBytes(StandardCharsets.UTF_8)));
			}
			producer.flush();
		}
		return windows;
	}

	/**
	 * Kafka's {@code kafka-consumer-perf-test} reading the whole input topic, in its own
	 * JVM as the script runs it.
	 * @return records per second while fetching (its {@code fetch.nMsg.sec})
	 */
	private static double consumerPerfTest(String bootstrapServers, int events, int round) throws Exception {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
				"-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
				"--bootstrap-server", bootstrapServers, "--topic", INPUT, "--messages", String.valueOf(events),
				"--group", "bench-perf-" + round, "--timeout", "60000");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				lines.add(line);
			}
		}
		process.waitFor();
		for (int i = 0; i + 1 < lines.size(); i++) {
			if (lines.get(i).startsWith("start.time")) {
				String[] header = lines.get(i).split(",\\s*");
				String[] values = lines.get(i + 1).split(",\\s*");
				for (int c = 0; c < header.length; c++) {
					if (header[c].equals("fetch.nMsg.sec")) {
						System.out.println("  kafka-consumer-perf-test: " + lines.get(i + 1));
						return Double.parseDouble(values[c]);
					}
				}
			}
		}
		throw new IllegalStateException("kafka-consumer-perf-test printed no summary: " + lines);
	}

	private static double runKafkaStreams(KafkaKraftBroker broker, String applicationId, String guarantee, int events,
			Map<String, BenchmarkWindows.Aggregate> expected) throws Exception {
		String output = applicationId + "-out";
		broker.createTopics(Map.of(output, PARTITIONS));
		if (!Boolean.getBoolean("millrace.bench.streams-in-benchmark-jvm")) {
			Process peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					System.getProperty("millrace.bench.streams-jvm", "-Xmx2g"), "-cp",
					System.getProperty("java.class.path"), KafkaStreamsPeer.class.getName(), broker.bootstrapServers(),
					applicationId, INPUT, output, guarantee)
				.redirectErrorStream(true)
				.redirectOutput(Path.of("benchmarks", "target", applicationId + ".log").toFile())
				.start();
			try {
				return measure(broker, applicationId, output, events, expected,
						BrokerThroughputBenchmark::streamsResult,
						() -> peer.toHandle().info().totalCpuDuration().orElse(Duration.ZERO));
			}
			finally {
				peer.destroy();
				peer.waitFor();
			}
		}
		try (KafkaStreams streams = KafkaStreamsWindows.build(broker.bootstrapServers(), applicationId, INPUT, output,
				guarantee)) {
			streams.start();
			return measure(broker, applicationId, output, events, expected, BrokerThroughputBenchmark::streamsResult,
					() -> threadCpu(applicationId));
		}
	}

	private static double runMillrace(KafkaKraftBroker broker, String name, String group, Path jar, int events,
			Map<String, BenchmarkWindows.Aggregate> expected) throws Exception {
		String output = group + "-out";
		broker.createTopics(Map.of(output, PARTITIONS));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.destination", INPUT);
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.group", group);
		properties.put("spring.cloud.stream.bindings.aggregates.destination", output);
		properties.put("spring.cloud.stream.bindings.late.destination", "bench-late");
		properties.put("spring.cloud.stream.bindings.deadletter.destination", "bench-deadletter");
		properties.put("millrace.processing.windows[0].kind", "tumbling");
		properties.put("millrace.processing.windows[0].size", BenchmarkWindows.TUMBLING_SIZE.toMillis() + "ms");
		properties.put("millrace.processing.windows[1].kind", "hopping");
		properties.put("millrace.processing.windows[1].size", BenchmarkWindows.HOPPING_SIZE.toMillis() + "ms");
		properties.put("millrace.processing.windows[1].advance", BenchmarkWindows.HOPPING_ADVANCE.toMillis() + "ms");
		properties.put("millrace.processing.max-out-of-orderness",
				BenchmarkWindows.MAX_OUT_OF_ORDERNESS.toMillis() + "ms");
		properties.put("millrace.processing.allowed-lateness", BenchmarkWindows.ALLOWED_LATENESS.toMillis() + "ms");
		properties.put("millrace.processing.max-clock-skew", "3650d");
		properties.put("logging.level.root", "WARN");
		// Snapshots on, as the comparison requires; a fresh store per run.
		properties.put("millrace.processing.checkpoint.directory",
				Files.createTempDirectory("millrace-bench-checkpoints").toString());
		// Extra service properties for experiments:
		// -Dmillrace.bench.props=key=value,key=value for every run, then
		// -Dmillrace.bench.props.<name>=key=value,... for the runs of one jar's name
		// (the same jar under two names with different settings is an A/B too).
		for (String pair : (System.getProperty("millrace.bench.props", "") + ","
				+ System.getProperty("millrace.bench.props." + name, ""))
			.split(",")) {
			if (pair.contains("=")) {
				properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		}
		try (ServiceProcess service = ServiceProcess.launch("processing-service", jar, FreePorts.next(),
				FreePorts.next(), properties,
				// "{run}" in the options becomes the run's name: one JFR file per run.
				List.of(System.getProperty("millrace.bench.jvm", "-Xmx2g").replace("{run}", group).split(" ")),
				Path.of("benchmarks", "target", group + ".log"))) {
			return measure(broker, group, output, events, expected, BrokerThroughputBenchmark::millraceResult,
					service::cpuTime);
		}
	}

	/**
	 * CPU time of the benchmark JVM's threads that work for one Kafka Streams application
	 * (its stream thread and its clients' network threads carry the application id in
	 * their names); the broker's threads are not counted.
	 */
	private static Duration threadCpu(String applicationId) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long nanos = 0;
		for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (thread != null && thread.getThreadName().contains(applicationId)) {
				nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
			}
		}
		return Duration.ofNanos(nanos);
	}

	/** One final window read from an output topic: its key and aggregate, or null. */
	private interface ResultReader {

		Map.Entry<String, BenchmarkWindows.Aggregate> read(ConsumerRecord<byte[], byte[]> record) throws IOException;

	}

	/** Kafka Streams' output: key sensorId, value "kind start count sum min max". */
	private static Map.Entry<String, BenchmarkWindows.Aggregate> streamsResult(ConsumerRecord<byte[], byte[]> record) {
		String[] fields = new String(record.value(), StandardCharsets.UTF_8).split(" ");
		String sensor = new String(record.key(), StandardCharsets.UTF_8);
		return Map.entry(BenchmarkWindows.key(sensor, fields[0], Long.parseLong(fields[1])),
				BenchmarkWindows.Aggregate.of(Long.parseLong(fields[2]), Double.parseDouble(fields[3])));
	}

	/** Millrace's output: WindowAggregate JSON; non-final results are not counted. */
	private static Map.Entry<String, BenchmarkWindows.Aggregate> millraceResult(ConsumerRecord<byte[], byte[]> record)
			throws IOException {
		JsonNode aggregate = JSON.readTree(record.value());
		if (!aggregate.path("final").asBoolean()) {
			return null;
		}
		JsonNode window = aggregate.path("window");
		return Map.entry(
				BenchmarkWindows.key(aggregate.path("sensorId").asText(), window.path("kind").asText(),
						Instant.parse(window.path("start").asText()).toEpochMilli()),
				BenchmarkWindows.Aggregate.of(aggregate.path("count").asLong(), aggregate.path("sum").asDouble()));
	}

	/**
	 * Events per second between the group's first commit and the moment every expected
	 * final window has been read from the output topic; fails if the results read by then
	 * differ from the expected ones.
	 */
	private static double measure(KafkaKraftBroker broker, String group, String output, int events,
			Map<String, BenchmarkWindows.Aggregate> expected, ResultReader reader, Supplier<Duration> cpu)
			throws Exception {
		Map<String, BenchmarkWindows.Aggregate> results = new HashMap<>();
		try (Admin admin = broker.admin();
				KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
						Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
								ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
								ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
						new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (int p = 0; p < PARTITIONS; p++) {
				partitions.add(new TopicPartition(output, p));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long firstSeen = -1;
			long firstCommitted = 0;
			Duration cpuAtStart = Duration.ZERO;
			int seen = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			long reported = System.nanoTime();
			while (System.nanoTime() < deadline) {
				if (System.nanoTime() - reported > 10_000_000_000L) {
					reported = System.nanoTime();
					System.out.printf("  %s: %,d of %,d final windows so far (%,d results read)%n", group, seen,
							expected.size(), results.size());
				}
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
					Map.Entry<String, BenchmarkWindows.Aggregate> result = reader.read(record);
					if (result != null && results.put(result.getKey(), result.getValue()) == null
							&& expected.containsKey(result.getKey())) {
						seen++;
					}
				}
				long now = System.nanoTime();
				if (firstSeen < 0) {
					long committed = admin.listConsumerGroupOffsets(group)
						.partitionsToOffsetAndMetadata()
						.get()
						.values()
						.stream()
						.filter((o) -> o != null)
						.mapToLong(OffsetAndMetadata::offset)
						.sum();
					if (committed > 0) {
						firstSeen = now;
						firstCommitted = committed;
						cpuAtStart = cpu.get();
					}
				}
				if (seen == expected.size() && firstSeen >= 0) {
					double rate = (events - firstCommitted) / ((now - firstSeen) / 1e9);
					List<String> differences = BenchmarkWindows.differences(expected, results);
					if (!differences.isEmpty()) {
						throw new IllegalStateException(group + " emitted other final windows than expected: "
								+ String.join("; ", differences));
					}
					double cpuSeconds = cpu.get().minus(cpuAtStart).toNanos() / 1e9;
					System.out.printf(
							"  %s: %,d final windows, counts and sums as expected, %,.0f events/s, %.1f s of CPU: %,.0f events per CPU-second%n",
							group, results.size(), rate, cpuSeconds, (events - firstCommitted) / cpuSeconds);
					EVENTS_PER_CPU_SECOND
						.computeIfAbsent(group.substring(0, group.lastIndexOf('-')), (k) -> new ArrayList<>())
						.add((events - firstCommitted) / cpuSeconds);
					return rate;
				}
			}
			throw new IllegalStateException(group + " emitted " + seen + " of the " + expected.size()
					+ " expected final windows in 10 minutes: "
					+ String.join("; ", BenchmarkWindows.differences(expected, results).stream().limit(5).toList()));
		}
	}

}
