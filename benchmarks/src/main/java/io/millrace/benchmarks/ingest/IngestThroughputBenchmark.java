package io.millrace.benchmarks.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.millrace.benchmarks.SensorEvents;
import io.millrace.benchmarks.Stats;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalApiKey;
import io.millrace.local.ServiceProcess;
import io.millrace.model.security.ApiKeyHashes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * ingest-service over HTTP against Kafka's own {@code kafka-producer-perf-test}
 * ({@code org.apache.kafka.tools.ProducerPerformance}, in its own JVM as the script runs
 * it) on the same in-process broker, with the same record size (the average size of what
 * ingest wrote), {@code acks=all}, idempotence, {@code linger.ms} and {@code batch.size}.
 * Rounds alternate between the two. Then, against ingest alone: single-event requests,
 * and request latency under an open-loop load at 70% of the measured batched maximum
 * (latency counted from each request's scheduled start, so a stall is not hidden).
 * <p>
 * Run from the repository root after {@code ./mvnw -q install -DskipTests} and
 * {@code ./mvnw -q -f benchmarks/pom.xml clean package}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.ingest.IngestThroughputBenchmark [rounds] [seconds]}
 */
public final class IngestThroughputBenchmark {

	static final String TOPIC = "telemetry-raw";

	static final String PERF_TOPIC = "perf-test";

	static final int PARTITIONS = 4;

	static final int BATCH = 500;

	static final int CONNECTIONS = 8;

	static final int SINGLE_CONNECTIONS = Integer.getInteger("millrace.bench.single-connections", 64);

	static final String PRODUCER_SETTINGS = "acks=all enable.idempotence=true linger.ms=5 batch.size=131072";

	private IngestThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
		String key = ApiKeyHashes.generate();
		Map<String, Integer> topics = new LinkedHashMap<>();
		topics.put(TOPIC, PARTITIONS);
		topics.put(PERF_TOPIC, PARTITIONS);
		topics.put("telemetry-deadletter", 1);
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(topics)) {
			Map<String, String> properties = new LinkedHashMap<>(LocalApiKey.apiProperties(key));
			properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
			properties.put("logging.level.root", "WARN");
			// Extra service properties for experiments:
			// -Dmillrace.bench.props=key=value,key=value
			for (String pair : System.getProperty("millrace.bench.props", "").split(",")) {
				if (pair.contains("=")) {
					properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
				}
			}
			try (ServiceProcess ingest = ServiceProcess.launch("ingest-service",
					Path.of("ingest-service", "target", "ingest-service-exec.jar"), FreePorts.next(), FreePorts.next(),
					properties, List.of(System.getProperty("millrace.bench.jvm", "-Xmx1g").split(" ")),
					Path.of("benchmarks", "target", "ingest-bench.log"))) {
				ingest.awaitReady(Duration.ofMinutes(2));
				Load load = new Load(URI.create(ingest.apiUrl() + "/api/v1/events"), key);
				System.out.printf("Warming up ingest for 30 s...%n");
				load.closedLoop(load.batchBodies(), CONNECTIONS, Duration.ofSeconds(30));
				int recordSize = averageRecordSize(broker.bootstrapServers());
				System.out.printf("Records ingest writes average %d bytes; the producer test sends the same size%n",
						recordSize);

				if (Boolean.getBoolean("millrace.bench.single-only")) {
					Duration cpuBefore = ingest.cpuTime();
					Result single = load.closedLoop(load.singleBodies(), SINGLE_CONNECTIONS,
							Duration.ofSeconds(seconds));
					System.out.printf("single-event requests only: %,.0f events/s, %.0f µs ingest CPU per request%n",
							single.eventsPerSecond(),
							(ingest.cpuTime().minus(cpuBefore).toNanos() / 1e3) / (single.eventsPerSecond() * seconds));
					return;
				}
				List<Double> millrace = new ArrayList<>();
				List<Double> producer = new ArrayList<>();
				Result last = null;
				for (int round = 1; round <= rounds; round++) {
					Duration cpuBefore = ingest.cpuTime();
					last = load.closedLoop(load.batchBodies(), CONNECTIONS, Duration.ofSeconds(seconds));
					double cpuPerEvent = (ingest.cpuTime().minus(cpuBefore).toNanos() / 1e3)
							/ (last.eventsPerSecond() * seconds);
					millrace.add(last.eventsPerSecond());
					double raw = producerPerfTest(broker.bootstrapServers(), recordSize,
							(long) Math.max(500_000, last.eventsPerSecond() * seconds * 2));
					producer.add(raw);
					System.out.printf(
							"round %d: ingest %,.0f events/s (%d-event requests, %d connections, p50 %.1f ms, p99 %.1f ms, "
									+ "%.2f µs ingest CPU per event); kafka-producer-perf-test %,.0f records/s%n",
							round, last.eventsPerSecond(), BATCH, CONNECTIONS, last.p50Millis(), last.p99Millis(),
							cpuPerEvent, raw);
				}
				double ingestMedian = Stats.median(millrace);
				double producerMedian = Stats.median(producer);
				System.out
					.printf("%nmedian of %d rounds: ingest %,.0f events/s, kafka-producer-perf-test %,.0f records/s, "
							+ "ratio %.2f%n", rounds, ingestMedian, producerMedian, ingestMedian / producerMedian);

				Duration cpuBefore = ingest.cpuTime();
				Result single = load.closedLoop(load.singleBodies(), SINGLE_CONNECTIONS, Duration.ofSeconds(seconds));
				double cpuPerRequest = (ingest.cpuTime().minus(cpuBefore).toNanos() / 1e3)
						/ (single.eventsPerSecond() * seconds);
				System.out.printf(
						"single-event requests (%d connections): %,.0f events/s, p50 %.1f ms, p99 %.1f ms, "
								+ "%.0f µs ingest CPU per request%n",
						SINGLE_CONNECTIONS, single.eventsPerSecond(), single.p50Millis(), single.p99Millis(),
						cpuPerRequest);

				double target = 0.7 * ingestMedian / BATCH;
				Result paced = load.openLoop(load.batchBodies(), target, Duration.ofSeconds(seconds));
				System.out.printf(
						"at 70%% of the batched maximum (%.0f requests/s = %,.0f events/s offered): %,.0f events/s, "
								+ "p50 %.1f ms, p99 %.1f ms, %d errors%n",
						target, target * BATCH, paced.eventsPerSecond(), paced.p50Millis(), paced.p99Millis(),
						paced.errors());
			}
		}
	}

	/** The average value size of the records ingest wrote. */
	private static int averageRecordSize(String bootstrapServers) {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"bench-size-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(TOPIC));
			long bytes = 0;
			int records = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (records < 10_000 && System.nanoTime() < deadline) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					bytes += record.value().length;
					records++;
				}
			}
			return (int) (bytes / Math.max(1, records));
		}
	}

	/** Runs kafka-producer-perf-test in its own JVM and returns its records/s. */
	private static double producerPerfTest(String bootstrapServers, int recordSize, long records)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
				"--topic", PERF_TOPIC, "--num-records", String.valueOf(records), "--record-size",
				String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
				"bootstrap.servers=" + bootstrapServers, "key.serializer=" + ByteArraySerializer.class.getName(),
				"value.serializer=" + ByteArraySerializer.class.getName()));
		command.addAll(List.of(PRODUCER_SETTINGS.split(" ")));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String summary = null;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.contains("records sent")) {
					summary = line;
				}
			}
		}
		process.waitFor();
		if (summary == null) {
			throw new IllegalStateException("kafka-producer-perf-test printed no summary");
		}
		System.out.println("  kafka-producer-perf-test: " + summary);
		Matcher rate = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(summary);
		if (!rate.find()) {
			throw new IllegalStateException("Unexpected summary: " + summary);
		}
		return Double.parseDouble(rate.group(1));
	}

	/**
	 * @param eventsPerSecond events acknowledged (202) per second
	 * @param p50Millis median request latency
	 * @param p99Millis 99th percentile request latency
	 * @param errors requests not answered 202
	 */
	record Result(double eventsPerSecond, double p50Millis, double p99Millis, long errors) {
	}

	/** An HTTP client load on ingest. */
	static final class Load {

		private final URI url;

		private final String key;

		Load(URI url, String key) {
			this.url = url;
			this.key = key;
		}

		List<byte[]> batchBodies() {
			return bodies(BATCH);
		}

		List<byte[]> singleBodies() {
			return bodies(1);
		}

		private static List<byte[]> bodies(int events) {
			Random random = new Random(42);
			List<byte[]> bodies = new ArrayList<>();
			String now = Instant.now().toString();
			for (int b = 0; b < 64; b++) {
				StringBuilder body = new StringBuilder((events > 1) ? "[" : "");
				for (int i = 0; i < events; i++) {
					SensorEvents.append(body.append((i > 0) ? "," : ""), random, now);
				}
				bodies.add(body.append((events > 1) ? "]" : "").toString().getBytes(StandardCharsets.UTF_8));
			}
			return bodies;
		}

		/**
		 * {@code connections} clients each sending the next request as soon as the last
		 * is answered.
		 */
		Result closedLoop(List<byte[]> bodies, int connections, Duration duration) throws InterruptedException {
			int events = countEvents(bodies.get(0));
			AtomicLong accepted = new AtomicLong();
			AtomicLong errors = new AtomicLong();
			ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
			long end = System.nanoTime() + duration.toNanos();
			List<Thread> clients = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				int client = c;
				Thread thread = new Thread(() -> {
					int next = client;
					KeepAliveConnection connection = new KeepAliveConnection(this.url, this.key, "application/json");
					while (System.nanoTime() < end) {
						long started = System.nanoTime();
						int status = connection.post(bodies.get(next++ % bodies.size()));
						latencies.add(System.nanoTime() - started);
						if (status == 202) {
							accepted.addAndGet(events);
						}
						else {
							errors.incrementAndGet();
						}
					}
					connection.close();
				});
				thread.start();
				clients.add(thread);
			}
			long began = System.nanoTime();
			for (Thread client : clients) {
				client.join();
			}
			return result(accepted.get(), System.nanoTime() - began, latencies, errors.get());
		}

		/**
		 * Requests started at a fixed rate, whatever the answers, over a pool of
		 * connections; latency is counted from each request's scheduled start, so time
		 * spent waiting for a free connection counts too.
		 */
		Result openLoop(List<byte[]> bodies, double requestsPerSecond, Duration duration) throws InterruptedException {
			int events = countEvents(bodies.get(0));
			AtomicLong accepted = new AtomicLong();
			AtomicLong errors = new AtomicLong();
			ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
			long interval = (long) (1e9 / requestsPerSecond);
			long count = duration.toNanos() / interval;
			long began = System.nanoTime() + Duration.ofMillis(100).toNanos();
			AtomicLong nextRequest = new AtomicLong();
			List<Thread> senders = new ArrayList<>();
			for (int c = 0; c < 32; c++) {
				Thread thread = new Thread(() -> {
					KeepAliveConnection connection = new KeepAliveConnection(this.url, this.key, "application/json");
					long i;
					while ((i = nextRequest.getAndIncrement()) < count) {
						long scheduled = began + i * interval;
						long wait = scheduled - System.nanoTime();
						if (wait > 0) {
							LockSupport.parkNanos(wait);
						}
						int status = connection.post(bodies.get((int) (i % bodies.size())));
						latencies.add(System.nanoTime() - scheduled);
						if (status == 202) {
							accepted.addAndGet(events);
						}
						else {
							errors.incrementAndGet();
						}
					}
					connection.close();
				});
				thread.start();
				senders.add(thread);
			}
			for (Thread sender : senders) {
				sender.join();
			}
			return result(accepted.get(), System.nanoTime() - began, latencies, errors.get());
		}

		private static int countEvents(byte[] body) {
			return (body[0] == '[') ? BATCH : 1;
		}

		private static Result result(long accepted, long nanos, ConcurrentLinkedQueue<Long> latencies, long errors) {
			long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
			return new Result(accepted / (nanos / 1e9), Stats.percentile(values, 50) / 1e6,
					Stats.percentile(values, 99) / 1e6, errors);
		}

	}

}
