package io.millrace.benchmarks.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.millrace.benchmarks.Stats;
import io.millrace.local.FreePorts;
import io.millrace.local.LocalApiKey;
import io.millrace.local.ServiceProcess;
import io.millrace.model.security.ApiKeyHashes;

/**
 * What the alerting benchmarks share: launching alerting-service's exec jar (its own JVM)
 * with rules and subscriptions from properties, secrets, the JSON they send, and the
 * tables they print. They talk to the services over HTTP and Kafka only; no class of a
 * service is on their class path.
 */
final class AlertingBench {

	static final Path ALERTING_JAR = Path.of("alerting-service", "target", "alerting-service-exec.jar");

	static final Path INGEST_JAR = Path.of("ingest-service", "target", "ingest-service-exec.jar");

	static final String RAW = "telemetry-raw";

	static final String AGGREGATES = "telemetry-aggregates";

	static final int PARTITIONS = 4;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Pattern VALUE = Pattern.compile("\"value\":(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

	private static final Pattern SENSOR = Pattern.compile("\"sensorId\":\"([^\"]+)\"");

	private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");

	private AlertingBench() {
	}

	/**
	 * The topics the services need, with the partitions the services' defaults assume.
	 */
	static Map<String, Integer> topics() {
		Map<String, Integer> topics = new LinkedHashMap<>();
		topics.put(RAW, PARTITIONS);
		topics.put(AGGREGATES, PARTITIONS);
		topics.put("alerts", PARTITIONS);
		topics.put("telemetry-deadletter", 1);
		return topics;
	}

	/**
	 * {@code millrace.runtime.tick-interval} of this run: {@code -Dmillrace.bench.tick},
	 * else the default (1s).
	 */
	static String tick() {
		return System.getProperty("millrace.bench.tick", "1s");
	}

	static String secret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}

	/**
	 * alerting-service's properties: the broker, the rules (each a map of rule fields in
	 * kebab case), the subscriptions (id to URL and secret, format millrace), http to
	 * 127.0.0.1 allowed, a fresh checkpoint directory, this run's tick interval, an API
	 * key.
	 */
	static Map<String, String> alertingProperties(String brokers, List<Map<String, String>> rules,
			Map<String, String[]> subscriptions) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", brokers);
		for (int i = 0; i < rules.size(); i++) {
			for (Map.Entry<String, String> field : rules.get(i).entrySet()) {
				properties.put("millrace.alerting.rules[" + i + "]." + field.getKey(), field.getValue());
			}
		}
		int i = 0;
		for (Map.Entry<String, String[]> subscription : subscriptions.entrySet()) {
			properties.put("millrace.alerting.subscriptions[" + i + "].id", subscription.getKey());
			properties.put("millrace.alerting.subscriptions[" + i + "].url", subscription.getValue()[0]);
			properties.put("millrace.alerting.subscriptions[" + i + "].format", "millrace");
			properties.put("millrace.alerting.subscriptions[" + i + "].secret", subscription.getValue()[1]);
			i++;
		}
		properties.put("millrace.alerting.delivery.allow-http", "true");
		properties.put("millrace.alerting.delivery.allow-list", "127.0.0.1");
		properties.put("millrace.runtime.tick-interval", tick());
		try {
			properties.put("millrace.alerting.checkpoint.directory",
					Files.createTempDirectory("alerting-bench-checkpoints").toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		properties.put("logging.level.root", "WARN");
		properties.putAll(LocalApiKey.apiProperties(ApiKeyHashes.generate()));
		extraProperties(properties, "millrace.bench.alerting-props");
		return properties;
	}

	/** Extra service properties for experiments: {@code -D<name>=key=value,key=value}. */
	static void extraProperties(Map<String, String> properties, String name) {
		for (String pair : System.getProperty(name, "").split(",")) {
			if (pair.contains("=")) {
				properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		}
	}

	static ServiceProcess launchAlerting(Map<String, String> properties) {
		ServiceProcess alerting = ServiceProcess.launch("alerting-service", ALERTING_JAR, FreePorts.next(),
				FreePorts.next(), properties, jvm("millrace.bench.alerting-jvm", "-Xmx512m"),
				Path.of("benchmarks", "target", "alerting-bench.log"));
		alerting.awaitReady(Duration.ofMinutes(3));
		return alerting;
	}

	private static final Pattern EVALUATIONS = Pattern
		.compile("millrace_alerting_evaluations_total\\{[^}]*input=\"([a-z]+)\"[^}]*\\} ([0-9.eE+]+)");

	/**
	 * alerting-service's {@code millrace_alerting_evaluations_total} for one input
	 * ({@code readings} or {@code aggregates}), from its Prometheus endpoint; NaN if not
	 * found.
	 */
	static double evaluations(ServiceProcess alerting, String input) {
		try {
			String text = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create(alerting.managementUrl() + "/actuator/prometheus"))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
				.body();
			Matcher matcher = EVALUATIONS.matcher(text);
			while (matcher.find()) {
				if (matcher.group(1).equals(input)) {
					return Double.parseDouble(matcher.group(2));
				}
			}
			return Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Double.NaN;
		}
	}

	/**
	 * Records of {@code topic} past the consumer group's committed offsets (alerting
	 * commits after each checkpoint, so up to a checkpoint interval of records count as
	 * lag even when it keeps up).
	 */
	static long committedLag(org.apache.kafka.clients.admin.Admin admin, String group, String topic) {
		try {
			Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
				.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get();
			Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
			committed.keySet()
				.stream()
				.filter((partition) -> partition.topic().equals(topic))
				.forEach((partition) -> latest.put(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()));
			var ends = admin.listOffsets(latest).all().get();
			long lag = 0;
			for (var partition : latest.keySet()) {
				lag += ends.get(partition).offset() - committed.get(partition).offset();
			}
			return lag;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	static List<String> jvm(String property, String defaults) {
		return Arrays.asList(System.getProperty(property, defaults).split(" "));
	}

	/**
	 * A final 1-minute tumbling window aggregate of {@code temperature} whose max is
	 * {@code max}.
	 */
	static byte[] aggregate(String sensor, double max, Instant windowStart) {
		Instant end = windowStart.plusSeconds(60);
		double min = 20;
		String json = "{\"sensorId\":\"" + sensor + "\",\"metric\":\"temperature\",\"window\":{\"kind\":\"tumbling\""
				+ ",\"start\":\"" + windowStart + "\",\"end\":\"" + end + "\",\"size\":\"PT1M\"},\"count\":2,\"sum\":"
				+ (min + max) + ",\"min\":" + min + ",\"max\":" + max + ",\"avg\":" + ((min + max) / 2)
				+ ",\"final\":true,\"revision\":0,\"timing\":\"on-time\",\"emittedAt\":\"" + Instant.now() + "\"}";
		return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * The alert's {@code value} in a Millrace JSON notification (the first
	 * {@code "value":}).
	 */
	static double value(String body) {
		Matcher matcher = VALUE.matcher(body);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

	static String sensor(String body) {
		Matcher matcher = SENSOR.matcher(body);
		return matcher.find() ? matcher.group(1) : null;
	}

	static String status(String body) {
		Matcher matcher = STATUS.matcher(body);
		return matcher.find() ? matcher.group(1) : null;
	}

	static double millis(long nanos) {
		return nanos / 1e6;
	}

	/** "p50 / p99 / max" of latencies in nanoseconds, in milliseconds. */
	static String summary(long[] nanos) {
		long[] copy = nanos.clone();
		return String.format(Locale.ROOT, "%8.1f %8.1f %8.1f %8.1f", millis((long) Stats.percentile(copy, 50)),
				millis((long) Stats.percentile(copy, 90)), millis((long) Stats.percentile(copy, 99)),
				millis(Arrays.stream(copy).max().orElse(0)));
	}

	static double p(long[] nanos, double percentile) {
		return millis((long) Stats.percentile(nanos.clone(), percentile));
	}

	/**
	 * A probe's period with random jitter, uniform in [0.5, 1.5) of the mean, so probes
	 * do not lock onto the phase of the service's 1-second checkpoints and ticks (a
	 * 3-second period would always land at the same point between two checkpoints).
	 */
	static long jittered(long meanNanos) {
		return (long) (meanNanos * (0.5 + RANDOM.nextDouble()));
	}

	/**
	 * The ratio line: the service path against the floor, as added milliseconds (the
	 * floor can be about zero or negative: a record is readable before the 202 travels
	 * back) and, where the floor is positive, as a ratio.
	 */
	static String versusFloor(long[] service, long[] floor) {
		StringBuilder line = new StringBuilder();
		for (double percentile : new double[] { 50, 99 }) {
			double s = p(service, percentile);
			double f = p(floor, percentile);
			line.append(
					String.format(Locale.ROOT, "p%.0f %.1f ms vs floor %.1f ms: +%.1f ms", percentile, s, f, s - f));
			line.append((f > 0.5) ? String.format(Locale.ROOT, " (%.1fx)", s / f) : " (no ratio: floor <= 0.5 ms)");
			line.append((percentile == 50) ? "; " : "");
		}
		return line.toString();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void sleepUntil(long nanos) {
		long wait = nanos - System.nanoTime();
		if (wait > 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(wait);
		}
	}

	/**
	 * A threshold rule on the window maximum of temperature above 500, critical, as the
	 * API reads it.
	 * @param id its id
	 * @return its properties, by field
	 */
	static Map<String, String> hotRule(String id) {
		Map<String, String> rule = new LinkedHashMap<>();
		rule.put("id", id);
		rule.put("kind", "threshold");
		rule.put("metric", "temperature");
		rule.put("statistic", "max");
		rule.put("operator", ">");
		rule.put("threshold", "500");
		rule.put("severity", "critical");
		return rule;
	}

	/**
	 * Print a latency benchmark's table, its comparison with the floor and its verdict.
	 * @param hookLabel what the measured latency spans
	 * @param floorLabel what the floor spans
	 * @param hook the measured latencies (nanoseconds)
	 * @param topic the floor's latencies
	 * @param extra alerting's part of each probe
	 * @param targetP99Ms the target
	 */
	static void printLatency(String hookLabel, String floorLabel, long[] hook, long[] topic, long[] extra,
			double targetP99Ms) {
		System.out.printf("%n%-58s %8s %8s %8s %8s%n", "latency over " + hook.length + " probes (ms)", "p50", "p90",
				"p99", "max");
		System.out.printf("%-58s %s%n", hookLabel, summary(hook));
		System.out.printf("%-58s %s%n", floorLabel, summary(topic));
		System.out.printf("%-58s %s%n", "alerting's part: consumer sees record -> webhook (per probe)", summary(extra));
		double p99 = p(hook, 99);
		System.out.printf("%nagainst the floor: %s%n", versusFloor(hook, topic));
		System.out.printf(Locale.ROOT, "VERDICT (tick-interval %s): p99 %.1f ms vs target <= %.0f ms: %s%n", tick(),
				p99, targetP99Ms, (p99 <= targetP99Ms) ? "MET" : "NOT MET");
	}

}
