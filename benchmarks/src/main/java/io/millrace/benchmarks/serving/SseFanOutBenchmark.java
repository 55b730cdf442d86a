package io.millrace.benchmarks.serving;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;
import io.millrace.local.ServiceProcess;
import io.millrace.model.security.ApiKeyHashes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * SSE fan-out: {@code clients} Server-Sent Events streams open on serving-api's
 * {@code /api/v1/stream} (API key in a header, filtered by metric, so every stream gets
 * every probe), and final window aggregates published to {@code telemetry-aggregates} at
 * a steady rate (±50% jitter of each period), each of a sensor of its own, with a plain
 * {@code KafkaProducer} ({@code acks=all}, idempotent, {@code linger.ms=0}). A probe's
 * clock starts when its send is acknowledged (the callback) and stops, per stream, when
 * that stream's {@code data:} line with the probe's sensor arrives (the JDK
 * {@code HttpClient}, HTTP/1.1, a line subscriber per stream). Delivery delay is counted
 * for every (probe, stream) pair; before any figure, every stream must have every probe
 * exactly once. Also printed: the first and the last stream's receipt per probe, and a
 * floor (a plain {@code KafkaConsumer} of the topic noting when each probe comes back).
 * serving-api runs as its exec jar in its own JVM; the store starts empty.
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.serving.SseFanOutBenchmark
 * [clients] [probes/s] [seconds]}
 */
public final class SseFanOutBenchmark {

	static final double TARGET_P99_MS = 100;

	private SseFanOutBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int clients = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		double rate = (args.length > 1) ? Double.parseDouble(args[1]) : 20;
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 60;
		int warmup = Integer.getInteger("millrace.bench.warmup", 15);
		int probes = (int) (rate * seconds);
		System.out.printf(Locale.ROOT,
				"%d SSE clients; %d probes at %.1f/s (%,.0f events/s delivered); " + "%d s warm-up%n", clients, probes,
				rate, rate * clients, warmup);
		String apiKey = ApiKeyHashes.generate();
		Instant window = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
		AtomicLongArray received = new AtomicLongArray(probes * clients);
		AtomicInteger duplicates = new AtomicInteger();
		AtomicInteger warmupEvents = new AtomicInteger();
		java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
		AtomicLongArray floor = new AtomicLongArray(probes);
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());
				ServiceProcess serving = ServingBench.launchServing(
						ServingBench.servingProperties(broker.bootstrapServers(), apiKey, 1_000_000), "-Xmx1g",
						Duration.ofMinutes(5));
				KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
			HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.executor(Executors.newFixedThreadPool(4))
				.build();
			CountDownLatch opened = new CountDownLatch(clients);
			for (int c = 0; c < clients; c++) {
				int client = c;
				HttpRequest request = HttpRequest
					.newBuilder(URI.create(serving.apiUrl() + "/api/v1/stream?metric=" + WindowData.METRIC))
					.header("X-API-Key", apiKey)
					.build();
				http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Lines((line) -> {
					if (line.startsWith(":")) {
						opened.countDown();
					}
					else if (line.startsWith("data:")) {
						long now = System.nanoTime();
						String sensor = sensor(line);
						if (sensor != null && sensor.startsWith("sp-")) {
							int probe = Integer.parseInt(sensor.substring(3));
							if (!received.compareAndSet(probe * clients + client, 0, now)) {
								duplicates.incrementAndGet();
							}
						}
						else {
							warmupEvents.incrementAndGet();
						}
					}
				}))).whenComplete((response, ex) -> {
					if (ex != null && !reported.get()) {
						System.out.println("stream " + client + " failed: " + ex);
					}
				});
			}
			if (!opened.await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException(opened.getCount() + " streams did not open");
			}
			System.out.printf("%.0f streams open on serving-api%n",
					ServingBench.metric(serving, "millrace_serving_live_streams", null));
			Thread floorConsumer = floorConsumer(broker.bootstrapServers(), floor, reported);
			long period = (long) (1e9 / rate);
			long warmEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
			int w = 0;
			while (System.nanoTime() < warmEnd) {
				publish(producer, "sw-" + w++, window, period);
			}
			long cpu = serving.cpuTime().toNanos();
			long began = System.nanoTime();
			long[] acked = new long[probes];
			for (int i = 0; i < probes; i++) {
				acked[i] = publish(producer, "sp-" + i, window, period);
			}
			double servingCpu = (serving.cpuTime().toNanos() - cpu) / 1e9 / ((System.nanoTime() - began) / 1e9);
			long drain = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < drain && missing(received) > 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
			}
			reported.set(true);
			floorConsumer.join();
			report(clients, probes, acked, received, duplicates.get(), warmupEvents.get(), w, servingCpu, floor);
		}
		System.exit(0);
	}

	private static KafkaProducer<String, byte[]> producer(String brokers) {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** Publish one final window of its own sensor; @return nanoTime of its ack, or -1. */
	private static long publish(KafkaProducer<String, byte[]> producer, String sensor, Instant start, long meanPeriod)
			throws Exception {
		long period = (long) (meanPeriod * (0.5 + Math.random()));
		long begin = System.nanoTime();
		long s = start.toEpochMilli();
		WindowData.Window window = new WindowData.Window(sensor, s, s + WindowData.MINUTE, 60, 1200, 15, 25, 20, 2, 20,
				23, 24, 19, 21, s + WindowData.MINUTE + 2_000);
		long[] acked = { -1 };
		producer
			.send(new ProducerRecord<>(ServingBench.AGGREGATES, sensor, window.json().getBytes(StandardCharsets.UTF_8)),
					(metadata, ex) -> {
						if (ex == null) {
							acked[0] = System.nanoTime();
						}
					})
			.get();
		long wait = begin + period - System.nanoTime();
		if (wait > 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(wait);
		}
		return acked[0];
	}

	/**
	 * The floor: a plain consumer of the topic (every partition, from its end, 10 ms
	 * polls) noting when each probe's record comes back, until {@code stop}.
	 */
	private static Thread floorConsumer(String brokers, AtomicLongArray floor,
			java.util.concurrent.atomic.AtomicBoolean stop) {
		var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
				Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
				new org.apache.kafka.common.serialization.StringDeserializer(),
				new org.apache.kafka.common.serialization.ByteArrayDeserializer());
		var partitions = consumer.partitionsFor(ServingBench.AGGREGATES)
			.stream()
			.map((info) -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		Thread thread = new Thread(() -> {
			try (consumer) {
				while (!stop.get()) {
					for (var record : consumer.poll(Duration.ofMillis(10))) {
						long now = System.nanoTime();
						if (record.key().startsWith("sp-")) {
							floor.compareAndSet(Integer.parseInt(record.key().substring(3)), 0, now);
						}
					}
				}
			}
		}, "floor-consumer");
		thread.start();
		return thread;
	}

	private static String sensor(String line) {
		int at = line.indexOf("\"sensorId\":\"");
		if (at < 0) {
			return null;
		}
		int from = at + 12;
		return line.substring(from, line.indexOf('"', from));
	}

	private static int missing(AtomicLongArray received) {
		int missing = 0;
		for (int i = 0; i < received.length(); i++) {
			if (received.get(i) == 0) {
				missing++;
			}
		}
		return missing;
	}

	private static void report(int clients, int probes, long[] acked, AtomicLongArray received, int duplicates,
			int warmupEvents, int warmupProbes, double servingCpu, AtomicLongArray floor) {
		int missing = missing(received);
		int unacked = 0;
		List<Long> all = new ArrayList<>();
		long[] lastPerProbe = new long[probes];
		long[] firstPerProbe = new long[probes];
		long[] floorPerProbe = new long[probes];
		for (int p = 0; p < probes; p++) {
			if (acked[p] < 0) {
				unacked++;
				continue;
			}
			long last = Long.MIN_VALUE;
			long first = Long.MAX_VALUE;
			floorPerProbe[p] = (floor.get(p) != 0) ? floor.get(p) - acked[p] : Long.MAX_VALUE;
			for (int c = 0; c < clients; c++) {
				long at = received.get(p * clients + c);
				if (at != 0) {
					all.add(at - acked[p]);
					last = Math.max(last, at - acked[p]);
					first = Math.min(first, at - acked[p]);
				}
			}
			lastPerProbe[p] = last;
			firstPerProbe[p] = first;
		}
		System.out.printf("warm-up: %d probes, %,d events received (expected %,d)%n", warmupProbes, warmupEvents,
				(long) warmupProbes * clients);
		if (missing > 0 || duplicates > 0 || unacked > 0) {
			System.out.printf("CHECK FAILED: %,d (probe, stream) deliveries missing, %,d duplicates, %d probes not "
					+ "acknowledged%n", missing, duplicates, unacked);
			return;
		}
		System.out.printf("check: every one of %d streams got every one of %d probes exactly once%n", clients, probes);
		long[] delays = all.stream().mapToLong(Long::longValue).toArray();
		System.out.printf(Locale.ROOT, "serving-api CPU while publishing: %.2f cores%n", servingCpu);
		System.out.printf("%n%-52s %8s %8s %8s %8s%n", "delivery delay, ms", "p50", "p90", "p99", "max");
		line("ack -> each stream's receipt (" + delays.length + ")", delays);
		line("ack -> the first stream's receipt (" + probes + ")", firstPerProbe);
		line("ack -> the last stream's receipt (" + probes + ")", lastPerProbe);
		line("floor: ack -> a plain KafkaConsumer's poll (" + probes + ")", floorPerProbe);
		double p99 = ServingBench.p(delays, 99);
		System.out.printf(Locale.ROOT, "VERDICT: %d clients, p99 delivery delay %.1f ms vs target <= %.0f ms: %s%n",
				clients, p99, TARGET_P99_MS, (p99 <= TARGET_P99_MS) ? "MET" : "NOT MET");
	}

	private static void line(String label, long[] delays) {
		System.out.printf(Locale.ROOT, "%-52s %8.1f %8.1f %8.1f %8.1f%n", label, ServingBench.p(delays, 50),
				ServingBench.p(delays, 90), ServingBench.p(delays, 99), ServingBench.p(delays, 100));
	}

	/** Every line of one stream to {@code onLine}, on the client's threads. */
	private record Lines(java.util.function.Consumer<String> onLine) implements Flow.Subscriber<String> {

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			this.onLine.accept(line);
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

}
