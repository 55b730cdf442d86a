package io.millrace.benchmarks.alerting;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.millrace.benchmarks.ingest.KeepAliveConnection;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalApiKey;
import io.millrace.local.ServiceProcess;
import io.millrace.model.security.ApiKeyHashes;

/**
 * Instant rule latency: ingest {@code 202} → firing webhook received, under background
 * load. An in-process KRaft broker, ingest-service and alerting-service as their exec
 * jars (own JVMs), a local receiver (JDK {@code HttpServer}, answers 200). Background:
 * 10,000 readings/s in 500-event batches on a fixed schedule, never breaching. Probes, on
 * their own keep-alive connection: a breaching reading of sensor {@value #PROBE}
 * ({@code temperature} = 1000 + probe number, rule {@code > 500}), then half a period
 * later a normal reading that resolves the alert; periods have ±50% random jitter around
 * the mean rate, so probes do not lock onto the phase of alerting's 1-second checkpoints.
 * Measured per probe, on one clock ({@code System.nanoTime()} of this JVM): the probe's
 * {@code 202} received; the probe's record returned by a plain {@code KafkaConsumer} of
 * {@code telemetry-raw} (the transport floor); the firing webhook received. Before any
 * figure: every probe answered 202, seen once on the topic, and produced exactly one
 * firing webhook with a signature that verifies with the Standard Webhooks reference
 * library.
 * <p>
 * Run from the repository root (exec jars built, benchmarks packaged):
 * {@code java [-Dmillrace.bench.tick=50ms] -cp benchmarks/target/benchmarks.jar
 * io.millrace.benchmarks.alerting.InstantRuleLatencyBenchmark [probes] [probes/s] [events/s]}
 */
public final class InstantRuleLatencyBenchmark {

	static final String PROBE = "probe-sensor";

	static final double THRESHOLD = 500;

	static final double TARGET_P99_MS = 50;

	private static final Pattern TEMPERATURE = Pattern.compile("\"temperature\":(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

	private InstantRuleLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int probes = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		double rate = (args.length > 1) ? Double.parseDouble(args[1]) : 2.0;
		int eventsPerSecond = (args.length > 2) ? Integer.parseInt(args[2]) : 10_000;
		int warmupSeconds = Integer.getInteger("millrace.bench.warmup", 30);
		String key = ApiKeyHashes.generate();
		String secret = AlertingBench.secret();
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(AlertingBench.topics());
				Receiver receiver = new Receiver(4)) {
			Map<String, String> ingestProperties = new LinkedHashMap<>(LocalApiKey.apiProperties(key));
			ingestProperties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
			ingestProperties.put("logging.level.root", "WARN");
			AlertingBench.extraProperties(ingestProperties, "millrace.bench.ingest-props");
			Map<String, String> rule = new LinkedHashMap<>();
			rule.put("id", "probe-hot");
			rule.put("kind", "instant");
			rule.put("metric", "temperature");
			rule.put("operator", ">");
			rule.put("threshold", String.valueOf(THRESHOLD));
			rule.put("severity", "critical");
			Map<String, String[]> subscriptions = Map.of("probe-receiver",
					new String[] { receiver.url("/hooks/probe-receiver"), secret });
			Map<String, String> alertingProperties = AlertingBench.alertingProperties(broker.bootstrapServers(),
					List.of(rule), subscriptions);
			try (ServiceProcess ingest = ServiceProcess.launch("ingest-service", AlertingBench.INGEST_JAR,
					FreePorts.next(), FreePorts.next(), ingestProperties,
					AlertingBench.jvm("millrace.bench.ingest-jvm", "-Xmx1g"),
					Path.of("benchmarks", "target", "ingest-alerting-bench.log"));
					ServiceProcess alerting = AlertingBench.launchAlerting(alertingProperties);
					TopicWatcher watcher = new TopicWatcher(broker.bootstrapServers(), AlertingBench.RAW,
							PROBE::equals)) {
				ingest.awaitReady(Duration.ofMinutes(3));
				URI events = URI.create(ingest.apiUrl() + "/api/v1/events");
				System.out.printf("tick-interval %s; background %,d events/s; %d probes at %.2f/s%n",
						AlertingBench.tick(), eventsPerSecond, probes, rate);
				long period = (long) (1e9 / rate);
				try (BackgroundLoad background = new BackgroundLoad(events, key, eventsPerSecond, 4);
						KeepAliveConnection connection = new KeepAliveConnection(events, key, "application/json")) {
					// alerting's readings group starts at the end of the topic: probe
					// until it answers.
					long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
					int warmup = 0;
					while (firing(receiver.deliveries()).isEmpty()) {
						if (System.nanoTime() > deadline) {
							throw new IllegalStateException("No firing webhook 2 min after the first probe; see "
									+ alerting.logFile() + "\n" + alerting.logTail(30));
						}
						probe(connection, 100_000 + warmup++, period);
					}
					System.out.printf("First firing webhook after %d warm-up probes; warming up %d s more%n", warmup,
							warmupSeconds);
					long warmEnd = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
					while (System.nanoTime() < warmEnd) {
						probe(connection, 100_000 + warmup++, period);
					}
					long backgroundBefore = background.accepted();
					long errorsBefore = background.errors();
					long cpuIngest = ingest.cpuTime().toNanos();
					long cpuAlerting = alerting.cpuTime().toNanos();
					long lateBefore = background.late();
					double evaluationsBefore = AlertingBench.evaluations(alerting, "readings");
					long began = System.nanoTime();
					List<long[]> sent = new ArrayList<>();
					for (int i = 0; i < probes; i++) {
						sent.add(probe(connection, 1000 + i, period));
					}
					double seconds = (System.nanoTime() - began) / 1e9;
					double evaluationRate = (AlertingBench.evaluations(alerting, "readings") - evaluationsBefore)
							/ seconds;
					long lag;
					try (var admin = broker.admin()) {
						lag = AlertingBench.committedLag(admin, "alerting-service-readings", AlertingBench.RAW);
					}
					double backgroundRate = (background.accepted() - backgroundBefore) / seconds;
					long backgroundErrors = background.errors() - errorsBefore;
					double ingestCpu = (ingest.cpuTime().toNanos() - cpuIngest) / 1e9 / seconds;
					double alertingCpu = (alerting.cpuTime().toNanos() - cpuAlerting) / 1e9 / seconds;
					// Let the last notifications arrive (a backlog drains at one per
					// tick).
					long drain = System.nanoTime()
							+ Duration.ofSeconds(Integer.getInteger("millrace.bench.drain", 90)).toNanos();
					while (System.nanoTime() < drain
							&& measured(firing(receiver.deliveries()), probes).size() < probes) {
						AlertingBench.sleep(200);
					}
					AlertingBench.sleep(2000);
					System.out.printf(
							"Background during the probes: %,.0f events/s accepted, %d failed requests, %d request slots "
									+ "skipped (sender stalled); CPU: ingest %.2f cores, alerting %.2f cores; alerting "
									+ "evaluated %,.0f readings/s; its readings group's committed lag at the end: %,d%n",
							backgroundRate, backgroundErrors, background.late() - lateBefore, ingestCpu, alertingCpu,
							evaluationRate, lag);
					report(sent, watcher.seen(), receiver.deliveries(), secret, probes);
				}
			}
		}
	}

	/**
	 * One probe: the breaching reading, then half a period later the resolving one, then
	 * wait out the period (the mean period with ±50% random jitter).
	 * @return the probe's value, its 202's arrival (nanoTime) and status
	 */
	private static long[] probe(KeepAliveConnection connection, int number, long meanPeriod) {
		long period = AlertingBench.jittered(meanPeriod);
		long start = System.nanoTime();
		int status = connection.post(reading(number));
		long accepted = System.nanoTime();
		AlertingBench.sleepUntil(start + period / 2);
		connection.post(reading(25));
		AlertingBench.sleepUntil(start + period);
		return new long[] { number, accepted, status };
	}

	private static byte[] reading(double temperature) {
		return ("{\"sensorId\":\"" + PROBE + "\",\"timestamp\":\"" + Instant.now()
				+ "\",\"measurements\":{\"temperature\":" + temperature + "}}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Per probe, in order: 202 -> webhook and 202 -> consumer, in ms, under
	 * benchmarks/target.
	 */
	static void dump(String file, List<Long> toHook, List<Long> toTopic) {
		StringBuilder csv = new StringBuilder("probe,to_webhook_ms,to_consumer_ms\n");
		for (int i = 0; i < toHook.size(); i++) {
			csv.append(i).append(',').append(toHook.get(i) / 1e6).append(',').append(toTopic.get(i) / 1e6).append('\n');
		}
		try {
			java.nio.file.Files.writeString(Path.of("benchmarks", "target", file), csv);
		}
		catch (java.io.IOException ex) {
			System.out.println("Could not write " + file + ": " + ex);
		}
	}

	private static List<Receiver.Delivery> firing(List<Receiver.Delivery> deliveries) {
		return deliveries.stream().filter((d) -> "firing".equals(AlertingBench.status(d.text()))).toList();
	}

	/** Firing deliveries of measured probes, by probe number. */
	private static Map<Integer, List<Receiver.Delivery>> measured(List<Receiver.Delivery> firing, int probes) {
		Map<Integer, List<Receiver.Delivery>> byProbe = new HashMap<>();
		for (Receiver.Delivery delivery : firing) {
			int number = (int) AlertingBench.value(delivery.text());
			if (number >= 1000 && number < 1000 + probes) {
				byProbe.computeIfAbsent(number, (n) -> new ArrayList<>()).add(delivery);
			}
		}
		return byProbe;
	}

	private static void report(List<long[]> sent, List<TopicWatcher.Seen> seen, List<Receiver.Delivery> deliveries,
			String secret, int probes) {
		Map<Integer, List<Long>> onTopic = new HashMap<>();
		for (TopicWatcher.Seen record : seen) {
			Matcher matcher = TEMPERATURE.matcher(record.value());
			if (matcher.find()) {
				double value = Double.parseDouble(matcher.group(1));
				if (value >= 1000 && value < 1000 + probes) {
					onTopic.computeIfAbsent((int) value, (n) -> new ArrayList<>()).add(record.nanos());
				}
			}
		}
		List<Receiver.Delivery> firing = firing(deliveries);
		Map<Integer, List<Receiver.Delivery>> hooks = measured(firing, probes);
		long resolved = deliveries.stream().filter((d) -> "resolved".equals(AlertingBench.status(d.text()))).count();
		List<String> unverified = Receiver.unverified(deliveries, Map.of("probe-receiver", secret));
		int accepted = 0;
		int seenOnce = 0;
		int oneWebhook = 0;
		List<String> problems = new ArrayList<>();
		List<Long> toHook = new ArrayList<>();
		List<Long> toTopic = new ArrayList<>();
		List<Long> added = new ArrayList<>();
		for (long[] probe : sent) {
			int number = (int) probe[0];
			if (probe[2] == 202) {
				accepted++;
			}
			else {
				problems.add("probe " + number + " answered " + probe[2]);
			}
			List<Long> topic = onTopic.getOrDefault(number, List.of());
			if (topic.size() == 1) {
				seenOnce++;
			}
			else {
				problems.add("probe " + number + " seen " + topic.size() + " times on telemetry-raw");
			}
			List<Receiver.Delivery> hook = hooks.getOrDefault(number, List.of());
			if (hook.size() == 1) {
				oneWebhook++;
			}
			else {
				problems.add("probe " + number + ": " + hook.size() + " firing webhooks");
			}
			if (topic.size() == 1 && hook.size() == 1) {
				toHook.add(hook.get(0).nanos() - probe[1]);
				toTopic.add(topic.get(0) - probe[1]);
				added.add(hook.get(0).nanos() - topic.get(0));
			}
		}
		System.out.printf(
				"%nChecks: %d probes; %d answered 202; %d seen exactly once on telemetry-raw; %d with exactly one firing "
						+ "webhook (%d firing and %d resolved webhooks in all, warm-up included); %d deliveries, "
						+ "%d without a valid signature%n",
				sent.size(), accepted, seenOnce, oneWebhook, firing.size(), resolved, deliveries.size(),
				unverified.size());
		unverified.stream().limit(5).forEach((problem) -> System.out.println("  signature: " + problem));
		if (!problems.isEmpty() || !unverified.isEmpty()) {
			problems.stream().limit(10).forEach((problem) -> System.out.println("  " + problem));
			System.out.println("CHECK FAILED: no latency figures printed (" + problems.size() + " problems)");
			return;
		}
		dump("instant-probes.csv", toHook, toTopic);
		long[] hook = toHook.stream().mapToLong(Long::longValue).toArray();
		long[] topic = toTopic.stream().mapToLong(Long::longValue).toArray();
		long[] extra = added.stream().mapToLong(Long::longValue).toArray();
		AlertingBench.printLatency("ingest 202 -> firing webhook received",
				"floor: ingest 202 -> plain consumer of telemetry-raw", hook, topic, extra, TARGET_P99_MS);
	}

}
