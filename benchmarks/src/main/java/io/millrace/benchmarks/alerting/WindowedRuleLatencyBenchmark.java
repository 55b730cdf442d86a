package io.millrace.benchmarks.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Windowed rule latency: a final window result published → firing webhook received. An
 * in-process KRaft broker, alerting-service as its exec jar (own JVM), a local receiver
 * (JDK {@code HttpServer}, answers 200). Each probe is one final 1-minute
 * {@code WindowAggregate} of a sensor of its own whose {@code max} breaches a threshold
 * rule ({@code max > 500}), sent with a plain {@code KafkaProducer} ({@code acks=all},
 * idempotent, {@code linger.ms=0}) straight to {@code telemetry-aggregates}; its clock
 * starts when the send is acknowledged (the callback). Probes come at a mean rate with
 * ±50% random jitter of each period. The floor: a plain {@code KafkaConsumer} of
 * {@code telemetry-aggregates} returning the same record. Before any figure: every probe
 * acknowledged, seen once on the topic, and exactly one firing webhook for its sensor
 * with a signature the Standard Webhooks reference library verifies.
 * <p>
 * {@code java [-Dmillrace.bench.tick=50ms] -cp benchmarks/target/benchmarks.jar
 * io.millrace.benchmarks.alerting.WindowedRuleLatencyBenchmark [probes] [probes/s]}
 */
public final class WindowedRuleLatencyBenchmark {

	static final double TARGET_P99_MS = 250;

	static final Instant WINDOW = Instant.parse("2026-12-01T08:00:00Z");

	private WindowedRuleLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int probes = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		double rate = (args.length > 1) ? Double.parseDouble(args[1]) : 2.0;
		int warmupSeconds = Integer.getInteger("millrace.bench.warmup", 30);
		String secret = AlertingBench.secret();
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(AlertingBench.topics());
				Receiver receiver = new Receiver(4)) {
			Map<String, String> rule = AlertingBench.hotRule("window-hot");
			Map<String, String> properties = AlertingBench.alertingProperties(broker.bootstrapServers(), List.of(rule),
					Map.of("window-receiver", new String[] { receiver.url("/hooks/window-receiver"), secret }));
			try (ServiceProcess alerting = AlertingBench.launchAlerting(properties);
					TopicWatcher watcher = new TopicWatcher(broker.bootstrapServers(), AlertingBench.AGGREGATES,
							(key) -> key.startsWith("wp-"));
					KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
				System.out.printf("tick-interval %s; %d probes at %.2f/s%n", AlertingBench.tick(), probes, rate);
				long period = (long) (1e9 / rate);
				long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
				int warmup = 0;
				while (receiver.count() == 0) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("No webhook 2 min after the first probe; see "
								+ alerting.logFile() + "\n" + alerting.logTail(30));
					}
					probe(producer, "ww-" + warmup++, period);
				}
				System.out.printf("First webhook after %d warm-up probes; warming up %d s more%n", warmup,
						warmupSeconds);
				long warmEnd = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
				while (System.nanoTime() < warmEnd) {
					probe(producer, "ww-" + warmup++, period);
				}
				long cpu = alerting.cpuTime().toNanos();
				long began = System.nanoTime();
				Map<String, Long> acked = new LinkedHashMap<>();
				for (int i = 0; i < probes; i++) {
					String sensor = "wp-" + i;
					acked.put(sensor, probe(producer, sensor, period));
				}
				double seconds = (System.nanoTime() - began) / 1e9;
				double alertingCpu = (alerting.cpuTime().toNanos() - cpu) / 1e9 / seconds;
				long drain = System.nanoTime()
						+ Duration.ofSeconds(Integer.getInteger("millrace.bench.drain", 90)).toNanos();
				while (System.nanoTime() < drain && byProbe(receiver.deliveries()).size() < probes) {
					AlertingBench.sleep(200);
				}
				AlertingBench.sleep(2000);
				System.out.printf("alerting CPU during the probes: %.2f cores%n", alertingCpu);
				report(acked, watcher.seen(), receiver.deliveries(), secret);
			}
		}
	}

	static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0),
				new StringSerializer(), new ByteArraySerializer());
	}

	/**
	 * Publish one breaching final aggregate and wait for its acknowledgement.
	 * @return nanoTime of the acknowledgement (its callback), or -1 if it failed
	 */
	private static long probe(KafkaProducer<String, byte[]> producer, String sensor, long meanPeriod) throws Exception {
		long period = AlertingBench.jittered(meanPeriod);
		long start = System.nanoTime();
		AtomicLong acked = new AtomicLong(-1);
		producer
			.send(new ProducerRecord<>(AlertingBench.AGGREGATES, sensor, AlertingBench.aggregate(sensor, 1000, WINDOW)),
					(metadata, ex) -> {
						if (ex == null) {
							acked.set(System.nanoTime());
						}
					})
			.get();
		AlertingBench.sleepUntil(start + period);
		return acked.get();
	}

	private static Map<String, List<Receiver.Delivery>> byProbe(List<Receiver.Delivery> deliveries) {
		Map<String, List<Receiver.Delivery>> bySensor = new HashMap<>();
		for (Receiver.Delivery delivery : deliveries) {
			String sensor = AlertingBench.sensor(delivery.text());
			if (sensor != null && sensor.startsWith("wp-") && "firing".equals(AlertingBench.status(delivery.text()))) {
				bySensor.computeIfAbsent(sensor, (s) -> new ArrayList<>()).add(delivery);
			}
		}
		return bySensor;
	}

	private static void report(Map<String, Long> acked, List<TopicWatcher.Seen> seen,
			List<Receiver.Delivery> deliveries, String secret) {
		Map<String, List<Long>> onTopic = new HashMap<>();
		for (TopicWatcher.Seen record : seen) {
			onTopic.computeIfAbsent(record.key(), (k) -> new ArrayList<>()).add(record.nanos());
		}
		Map<String, List<Receiver.Delivery>> hooks = byProbe(deliveries);
		List<String> unverified = Receiver.unverified(deliveries, Map.of("window-receiver", secret));
		List<String> problems = new ArrayList<>();
		List<Long> toHook = new ArrayList<>();
		List<Long> toTopic = new ArrayList<>();
		List<Long> added = new ArrayList<>();
		int ackedCount = 0;
		int seenOnce = 0;
		int oneWebhook = 0;
		for (Map.Entry<String, Long> probe : acked.entrySet()) {
			String sensor = probe.getKey();
			if (probe.getValue() > 0) {
				ackedCount++;
			}
			else {
				problems.add(sensor + " not acknowledged");
			}
			List<Long> topic = onTopic.getOrDefault(sensor, List.of());
			if (topic.size() == 1) {
				seenOnce++;
			}
			else {
				problems.add(sensor + " seen " + topic.size() + " times on telemetry-aggregates");
			}
			List<Receiver.Delivery> hook = hooks.getOrDefault(sensor, List.of());
			if (hook.size() == 1) {
				oneWebhook++;
			}
			else {
				problems.add(sensor + ": " + hook.size() + " firing webhooks");
			}
			if (probe.getValue() > 0 && topic.size() == 1 && hook.size() == 1) {
				toHook.add(hook.get(0).nanos() - probe.getValue());
				toTopic.add(topic.get(0) - probe.getValue());
				added.add(hook.get(0).nanos() - topic.get(0));
			}
		}
		System.out.printf(
				"%nChecks: %d probes; %d acknowledged; %d seen exactly once on telemetry-aggregates; %d with exactly "
						+ "one firing webhook; %d deliveries in all (warm-up included), %d without a valid signature%n",
				acked.size(), ackedCount, seenOnce, oneWebhook, deliveries.size(), unverified.size());
		unverified.stream().limit(5).forEach((problem) -> System.out.println("  signature: " + problem));
		if (!problems.isEmpty() || !unverified.isEmpty()) {
			problems.stream().limit(10).forEach((problem) -> System.out.println("  " + problem));
			System.out.println("CHECK FAILED: no latency figures printed (" + problems.size() + " problems)");
			return;
		}
		InstantRuleLatencyBenchmark.dump("windowed-probes.csv", toHook, toTopic);
		long[] hook = toHook.stream().mapToLong(Long::longValue).toArray();
		long[] topic = toTopic.stream().mapToLong(Long::longValue).toArray();
		long[] extra = added.stream().mapToLong(Long::longValue).toArray();
		AlertingBench.printLatency("final aggregate acked -> firing webhook received",
				"floor: acked -> plain consumer of telemetry-aggregates", hook, topic, extra, TARGET_P99_MS);
	}

}
