package io.millrace.benchmarks.alerting;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.benchmarks.Stats;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Delivery throughput: alerting-service (exec jar, own JVM) with 100 subscriptions, all
 * matching every alert, to one fast local receiver (JDK {@code HttpServer}, 8 threads,
 * answers 200 at once, keeps what arrived). Each round publishes M breaching final
 * aggregates (sensors of their own, threshold rule {@code max > 500}) at once to
 * {@code telemetry-aggregates}: M firing alerts, M×100 deliveries. Per round:
 * deliveries/s = deliveries / (last delivery received − first aggregate acknowledged),
 * and the latency of each delivery from its aggregate's acknowledgement (the producer's
 * callback; alerting decides right after consuming it, and a plain consumer of the topic
 * — the floor, also printed — sees it within a few ms) to its first attempt received. The
 * peer, right after each round: a plain JDK {@code HttpClient} (keep-alive) with as many
 * threads as alerting's {@code delivery.threads} posting the very requests alerting made
 * (same bodies and webhook headers) to the same receiver: the ceiling of the receiver and
 * the machine. Before any figure: alerting delivered exactly one firing notification per
 * (alert, subscription) — the set of (webhook-id, subscription) has M×100 elements, no
 * repeats — each signature verifies with the Standard Webhooks reference library, and the
 * peer delivered exactly the same set.
 * <p>
 * With {@code -Dmillrace.bench.paced=<alerts/s>}, then a paced phase: alerts on a fixed
 * schedule, latency per delivery at that steady rate (a burst's p99 is its queue).
 * <p>
 * {@code java [-Dmillrace.bench.tick=50ms] -cp benchmarks/target/benchmarks.jar
 * io.millrace.benchmarks.alerting.DeliveryThroughputBenchmark [rounds] [alerts per round] [subscriptions]}
 */
public final class DeliveryThroughputBenchmark {

	static final double TARGET_RATE = 2000;

	static final double TARGET_P99_MS = 20;

	private DeliveryThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		int alerts = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
		int subscriptionCount = (args.length > 2) ? Integer.parseInt(args[2]) : 100;
		int threads = Integer.getInteger("millrace.bench.delivery-threads", 4);
		// The peer's concurrency: alerting's delivery threads unless told otherwise (a
		// dispatcher that starts threads as attempts need them has up to one attempt per
		// subscription in flight: pass the subscription count then).
		int peerThreads = Integer.getInteger("millrace.bench.peer-threads", threads);
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(AlertingBench.topics());
				Receiver receiver = new Receiver(8)) {
			Map<String, String[]> subscriptions = new LinkedHashMap<>();
			Map<String, String> secrets = new HashMap<>();
			for (int s = 0; s < subscriptionCount; s++) {
				String id = String.format("sub-%03d", s);
				String secret = AlertingBench.secret();
				subscriptions.put(id, new String[] { receiver.url("/hooks/" + id), secret });
				secrets.put(id, secret);
			}
			Map<String, String> rule = AlertingBench.hotRule("burst-hot");
			Map<String, String> properties = AlertingBench.alertingProperties(broker.bootstrapServers(), List.of(rule),
					subscriptions);
			properties.put("millrace.alerting.delivery.threads", String.valueOf(threads));
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			try (ServiceProcess alerting = AlertingBench.launchAlerting(properties);
					TopicWatcher watcher = new TopicWatcher(broker.bootstrapServers(), AlertingBench.AGGREGATES,
							(key) -> key.startsWith("tp-"));
					KafkaProducer<String, byte[]> producer = WindowedRuleLatencyBenchmark
						.producer(broker.bootstrapServers())) {
				System.out.printf(
						"tick-interval %s; %d subscriptions, delivery threads %d, peer threads %d; %d rounds of %d alerts "
								+ "(%,d deliveries each), after one warm-up round%n",
						AlertingBench.tick(), subscriptionCount, threads, peerThreads, rounds, alerts,
						alerts * subscriptionCount);
				// Until alerting's group owns its partitions: one alert at a time, then
				// let its deliveries settle.
				long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
				for (int ready = 0; receiver.count() == 0; ready++) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("No webhook 2 min after the first alert; see "
								+ alerting.logFile() + "\n" + alerting.logTail(30));
					}
					producer
						.send(new ProducerRecord<>(AlertingBench.AGGREGATES, "tp-ready-" + ready,
								AlertingBench.aggregate("tp-ready-" + ready, 1000,
										WindowedRuleLatencyBenchmark.WINDOW)))
						.get();
					AlertingBench.sleep(1000);
				}
				for (int last = -1; receiver.count() != last;) {
					last = receiver.count();
					AlertingBench.sleep(3000);
				}
				receiver.clear();
				List<Double> rates = new ArrayList<>();
				List<Double> peerRates = new ArrayList<>();
				List<Long> latencies = new ArrayList<>();
				List<Long> firstAlert = new ArrayList<>();
				List<Long> floors = new ArrayList<>();
				List<Long> peerFanOuts = new ArrayList<>();
				// The peer fan-out's threads: one per subscription unless told otherwise.
				ExecutorService fanOutPool = Executors
					.newFixedThreadPool(Integer.getInteger("millrace.bench.fanout-threads", subscriptionCount));
				System.out.printf("%n%-6s %12s %12s %7s %9s %9s %9s %9s %9s%n", "round", "deliveries/s", "peer/s",
						"ratio", "p50 ms", "p99 ms", "max ms", "1st p99", "floor p99");
				for (int round = 0; round <= rounds; round++) {
					receiver.clear();
					watcher.clear();
					Map<String, Long> acked = new ConcurrentHashMap<>();
					for (int i = 0; i < alerts; i++) {
						String sensor = "tp-" + round + "-" + i;
						producer.send(
								new ProducerRecord<>(AlertingBench.AGGREGATES, sensor,
										AlertingBench.aggregate(sensor, 1000, WindowedRuleLatencyBenchmark.WINDOW)),
								(metadata, ex) -> {
									if (ex == null) {
										acked.put(sensor, System.nanoTime());
									}
								});
					}
					producer.flush();
					int expected = alerts * subscriptionCount;
					long roundDeadline = System.nanoTime() + Duration.ofSeconds(Math.max(60, alerts * 3)).toNanos();
					while (receiver.count() < expected && System.nanoTime() < roundDeadline) {
						AlertingBench.sleep(20);
					}
					AlertingBench.sleep(1500);
					List<Receiver.Delivery> delivered = receiver.deliveries();
					List<String> problems = check(delivered, acked, alerts, subscriptionCount, secrets);
					if (!problems.isEmpty()) {
						problems.stream().limit(10).forEach((problem) -> System.out.println("  " + problem));
						System.out.printf(
								"CHECK FAILED in round %d: %d deliveries of %d expected; no figures printed%n", round,
								delivered.size(), expected);
						return;
					}
					long first = acked.values().stream().mapToLong(Long::longValue).min().orElseThrow();
					long last = delivered.stream().mapToLong(Receiver.Delivery::nanos).max().orElseThrow();
					double rate = delivered.size() / ((last - first) / 1e9);
					long[] latency = new long[delivered.size()];
					List<Long> roundFirst = new ArrayList<>();
					String firstSensor = acked.entrySet()
						.stream()
						.min(Map.Entry.comparingByValue())
						.orElseThrow()
						.getKey();
					for (int d = 0; d < latency.length; d++) {
						Receiver.Delivery delivery = delivered.get(d);
						String sensor = AlertingBench.sensor(delivery.text());
						latency[d] = delivery.nanos() - acked.get(sensor);
						if (sensor.equals(firstSensor)) {
							roundFirst.add(latency[d]);
						}
					}
					long[] floor = watcher.seen()
						.stream()
						.filter((seen) -> acked.containsKey(seen.key()))
						.mapToLong((seen) -> seen.nanos() - acked.get(seen.key()))
						.toArray();

					// The peer: the same requests, same concurrency, plain HttpClient.
					receiver.clear();
					long peerStart = System.nanoTime();
					List<String> peerFailures = peer(client, receiver, delivered, peerThreads);
					List<Receiver.Delivery> peerDelivered = receiver.deliveries();
					long peerLast = peerDelivered.stream().mapToLong(Receiver.Delivery::nanos).max().orElse(peerStart);
					double peerRate = peerDelivered.size() / ((peerLast - peerStart) / 1e9);
					Set<String> alertingSet = pairs(delivered);
					Set<String> peerSet = pairs(peerDelivered);
					if (!peerFailures.isEmpty() || peerDelivered.size() != delivered.size()
							|| !alertingSet.equals(peerSet)) {
						peerFailures.stream().limit(5).forEach((problem) -> System.out.println("  peer: " + problem));
						System.out.printf(
								"CHECK FAILED in round %d: the peer delivered %d requests, %d distinct pairs; alerting %d; "
										+ "no figures printed%n",
								round, peerDelivered.size(), peerSet.size(), alertingSet.size());
						return;
					}
					// The bound on "alert -> every subscription's first attempt" that
					// this
					// receiver and machine allow: the peer fanning each alert out at
					// once.
					long[] fanOut = peerFanOut(client, receiver, delivered, fanOutPool);
					long[] firstArray = roundFirst.stream().mapToLong(Long::longValue).toArray();
					System.out.printf(Locale.ROOT, "%-6s %,12.0f %,12.0f %7.2f %9.1f %9.1f %9.1f %9.1f %9.1f%n",
							(round == 0) ? "warm" : String.valueOf(round), rate, peerRate, rate / peerRate,
							AlertingBench.p(latency, 50), AlertingBench.p(latency, 99), AlertingBench.p(latency, 100),
							AlertingBench.p(firstArray, 99), AlertingBench.p(floor, 99));
					if (round > 0) {
						rates.add(rate);
						peerRates.add(peerRate);
						for (long value : latency) {
							latencies.add(value);
						}
						firstAlert.addAll(roundFirst);
						for (long value : floor) {
							floors.add(value);
						}
						for (long value : fanOut) {
							peerFanOuts.add(value);
						}
					}
				}
				fanOutPool.shutdownNow();
				double rate = Stats.median(rates);
				double peerRate = Stats.median(peerRates);
				long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
				long[] firsts = firstAlert.stream().mapToLong(Long::longValue).toArray();
				long[] floor = floors.stream().mapToLong(Long::longValue).toArray();
				System.out.printf(Locale.ROOT,
						"%nChecks passed in every round: %d x %d deliveries, one per (webhook-id, subscription), every "
								+ "signature verified; the peer delivered the same set%n",
						alerts, subscriptionCount);
				System.out.printf(Locale.ROOT,
						"median of %d rounds: alerting %,.0f deliveries/s, peer (HttpClient, %d threads) %,.0f requests/s, "
								+ "ratio %.2f%n",
						rounds, rate, peerThreads, peerRate, rate / peerRate);
				System.out.printf("%-66s %8s %8s %8s %8s%n", "latency, all measured rounds (ms)", "p50", "p90", "p99",
						"max");
				System.out.printf("%-66s %s%n", "aggregate acked -> first attempt received (every delivery)",
						AlertingBench.summary(all));
				System.out.printf("%-66s %s%n", "same, the first alert of each round only (no queue ahead of it)",
						AlertingBench.summary(firsts));
				System.out.printf("%-66s %s%n", "floor: aggregate acked -> plain consumer of telemetry-aggregates",
						AlertingBench.summary(floor));
				System.out.printf("%-66s %s%n", "peer fan-out: one alert's requests posted at once -> each received",
						AlertingBench.summary(peerFanOuts.stream().mapToLong(Long::longValue).toArray()));
				double p99 = AlertingBench.p(all, 99);
				System.out.printf(Locale.ROOT,
						"VERDICT (tick-interval %s): %,.0f deliveries/s vs target >= %,.0f: %s; p99 %.1f ms vs target <= "
								+ "%.0f ms: %s%n",
						AlertingBench.tick(), rate, TARGET_RATE, (rate >= TARGET_RATE) ? "MET" : "NOT MET", p99,
						TARGET_P99_MS, (p99 <= TARGET_P99_MS) ? "MET" : "NOT MET");
				double paced = Double.parseDouble(System.getProperty("millrace.bench.paced", "0"));
				if (paced > 0) {
					paced(receiver, watcher, producer, paced, subscriptionCount, secrets);
				}
			}
		}
	}

	/**
	 * Latency at a steady offered rate rather than in a burst: alerts on a fixed schedule
	 * ({@code alertsPerSecond}, each fanning out to every subscription) for
	 * {@code -Dmillrace.bench.paced-seconds} (default 20), each delivery's latency from
	 * its aggregate's acknowledgement, after the same checks.
	 */
	private static void paced(Receiver receiver, TopicWatcher watcher, KafkaProducer<String, byte[]> producer,
			double alertsPerSecond, int subscriptions, Map<String, String> secrets) {
		int seconds = Integer.getInteger("millrace.bench.paced-seconds", 20);
		int alerts = (int) (alertsPerSecond * seconds);
		receiver.clear();
		watcher.clear();
		Map<String, Long> acked = new ConcurrentHashMap<>();
		long interval = (long) (1e9 / alertsPerSecond);
		long start = System.nanoTime();
		for (int i = 0; i < alerts; i++) {
			AlertingBench.sleepUntil(start + i * interval);
			String sensor = "tp-paced-" + i;
			producer.send(
					new ProducerRecord<>(AlertingBench.AGGREGATES, sensor,
							AlertingBench.aggregate(sensor, 1000, WindowedRuleLatencyBenchmark.WINDOW)),
					(metadata, ex) -> {
						if (ex == null) {
							acked.put(sensor, System.nanoTime());
						}
					});
		}
		producer.flush();
		int expected = alerts * subscriptions;
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (receiver.count() < expected && System.nanoTime() < deadline) {
			AlertingBench.sleep(50);
		}
		AlertingBench.sleep(1500);
		List<Receiver.Delivery> delivered = receiver.deliveries();
		List<String> problems = check(delivered, acked, alerts, subscriptions, secrets);
		System.out.printf(Locale.ROOT, "%nPaced: %d alerts at %.1f/s for %d s (%,.0f deliveries/s offered)%n", alerts,
				alertsPerSecond, seconds, alertsPerSecond * subscriptions);
		if (!problems.isEmpty()) {
			problems.stream().limit(10).forEach((problem) -> System.out.println("  " + problem));
			System.out.printf("CHECK FAILED (paced): %d deliveries of %d expected; no figures printed%n",
					delivered.size(), expected);
			return;
		}
		long[] latency = new long[delivered.size()];
		for (int d = 0; d < latency.length; d++) {
			Receiver.Delivery delivery = delivered.get(d);
			latency[d] = delivery.nanos() - acked.get(AlertingBench.sensor(delivery.text()));
		}
		long first = acked.values().stream().mapToLong(Long::longValue).min().orElseThrow();
		long last = delivered.stream().mapToLong(Receiver.Delivery::nanos).max().orElseThrow();
		long[] floor = watcher.seen()
			.stream()
			.filter((seen) -> acked.containsKey(seen.key()))
			.mapToLong((seen) -> seen.nanos() - acked.get(seen.key()))
			.toArray();
		System.out
			.printf(Locale.ROOT,
					"Checks passed: %,d deliveries, one per (webhook-id, subscription), every signature verified; "
							+ "%,.0f deliveries/s achieved%n",
					delivered.size(), delivered.size() / ((last - first) / 1e9));
		System.out.printf("%-66s %8s %8s %8s %8s%n", "latency, paced (ms)", "p50", "p90", "p99", "max");
		System.out.printf("%-66s %s%n", "aggregate acked -> first attempt received (every delivery)",
				AlertingBench.summary(latency));
		System.out.printf("%-66s %s%n", "floor: aggregate acked -> plain consumer of telemetry-aggregates",
				AlertingBench.summary(floor));
		double p99 = AlertingBench.p(latency, 99);
		System.out.printf(Locale.ROOT, "VERDICT paced (tick-interval %s): p99 %.1f ms vs target <= %.0f ms: %s%n",
				AlertingBench.tick(), p99, TARGET_P99_MS, (p99 <= TARGET_P99_MS) ? "MET" : "NOT MET");
	}

	/**
	 * One check per round: exactly one firing delivery per (alert, subscription), signed.
	 */
	private static List<String> check(List<Receiver.Delivery> delivered, Map<String, Long> acked, int alerts,
			int subscriptions, Map<String, String> secrets) {
		List<String> problems = new ArrayList<>();
		if (acked.size() != alerts) {
			problems.add(acked.size() + " of " + alerts + " aggregates acknowledged");
		}
		Map<String, Integer> perPair = new HashMap<>();
		Map<String, Set<String>> idsPerSensor = new HashMap<>();
		for (Receiver.Delivery delivery : delivered) {
			String sensor = AlertingBench.sensor(delivery.text());
			if (sensor == null || !acked.containsKey(sensor)) {
				problems.add("a delivery for " + sensor + ", not an alert of this round");
				continue;
			}
			if (!"firing".equals(AlertingBench.status(delivery.text()))) {
				problems.add("a " + AlertingBench.status(delivery.text()) + " delivery for " + sensor);
			}
			perPair.merge(delivery.id() + " " + delivery.subscription(), 1, Integer::sum);
			idsPerSensor.computeIfAbsent(sensor, (s) -> new HashSet<>()).add(delivery.id());
		}
		perPair.forEach((pair, count) -> {
			if (count != 1) {
				problems.add(pair + " delivered " + count + " times");
			}
		});
		if (perPair.size() != alerts * subscriptions) {
			problems.add(perPair.size() + " distinct (webhook-id, subscription) of " + alerts * subscriptions);
		}
		idsPerSensor.forEach((sensor, ids) -> {
			if (ids.size() != 1) {
				problems.add(sensor + " has " + ids.size() + " webhook-ids");
			}
		});
		List<String> unverified = Receiver.unverified(delivered, secrets);
		unverified.stream().limit(5).forEach((problem) -> problems.add("signature: " + problem));
		if (unverified.size() > 5) {
			problems.add((unverified.size() - 5) + " more deliveries without a valid signature");
		}
		return problems;
	}

	private static Set<String> pairs(List<Receiver.Delivery> deliveries) {
		Set<String> pairs = new HashSet<>();
		for (Receiver.Delivery delivery : deliveries) {
			pairs.add(delivery.id() + " " + delivery.subscription());
		}
		return pairs;
	}

	/**
	 * The peer fanning out like alerting does, one alert at a time: all of an alert's
	 * requests (one per subscription) posted at once on as many idle threads, each
	 * latency from that start to the receiver getting the request. What no sender can
	 * beat with this receiver on this machine: the floor of "alert to first attempt".
	 */
	private static long[] peerFanOut(HttpClient client, Receiver receiver, List<Receiver.Delivery> requests,
			ExecutorService pool) throws InterruptedException {
		Map<String, List<Receiver.Delivery>> byAlert = new LinkedHashMap<>();
		for (Receiver.Delivery delivery : requests) {
			byAlert.computeIfAbsent(delivery.id(), (id) -> new ArrayList<>()).add(delivery);
		}
		List<Long> latencies = new ArrayList<>();
		for (List<Receiver.Delivery> alert : byAlert.values()) {
			receiver.clear();
			List<Callable<Integer>> posts = new ArrayList<>();
			for (Receiver.Delivery original : alert) {
				HttpRequest request = resent(receiver, "/fanout/", original);
				posts.add(() -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
			}
			long start = System.nanoTime();
			for (Future<Integer> answer : pool.invokeAll(posts)) {
				try {
					if (answer.get() != 200) {
						throw new IllegalStateException("CHECK FAILED: the peer's fan-out got " + answer.get());
					}
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException("CHECK FAILED: the peer's fan-out failed", ex.getCause());
				}
			}
			List<Receiver.Delivery> arrived = receiver.deliveries();
			// Every request of the alert arrived, once each, before its figure counts.
			if (!pairs(arrived).equals(pairs(alert)) || arrived.size() != alert.size()) {
				throw new IllegalStateException("CHECK FAILED: the peer's fan-out of " + alert.get(0).id()
						+ " delivered " + arrived.size() + " of " + alert.size() + " requests");
			}
			for (Receiver.Delivery delivery : arrived) {
				latencies.add(delivery.nanos() - start);
			}
		}
		receiver.clear();
		return latencies.stream().mapToLong(Long::longValue).toArray();
	}

	/**
	 * A request alerting made, as it was, to {@code <path><subscription>} of the
	 * receiver.
	 */
	private static HttpRequest resent(Receiver receiver, String path, Receiver.Delivery original) {
		return HttpRequest.newBuilder(URI.create(receiver.url(path + original.subscription())))
			.header("Content-Type", original.contentType())
			.header("webhook-id", original.id())
			.header("webhook-timestamp", original.timestamp())
			.header("webhook-signature", original.signature())
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofByteArray(original.body()))
			.build();
	}

	/**
	 * Post the requests alerting made, as they were, to {@code /peer/<subscription>},
	 * {@code threads} at a time; returns once every request has been answered.
	 */
	private static List<String> peer(HttpClient client, Receiver receiver, List<Receiver.Delivery> requests,
			int threads) throws InterruptedException {
		List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger next = new AtomicInteger();
		AtomicLong answered = new AtomicLong();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				int i;
				while ((i = next.getAndIncrement()) < requests.size()) {
					Receiver.Delivery original = requests.get(i);
					HttpRequest request = resent(receiver, "/peer/", original);
					try {
						int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
						if (status != 200) {
							failures.add(original.id() + " answered " + status);
						}
						answered.incrementAndGet();
					}
					catch (Exception ex) {
						failures.add(original.id() + ": " + ex);
					}
				}
			}, "peer-" + t);
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		return failures;
	}

}
