package io.millrace.benchmarks.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.millrace.benchmarks.Stats;
import io.millrace.local.FreePorts;
import io.millrace.local.LocalApiKey;
import io.millrace.local.LocalHttp;
import io.millrace.local.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the serving benchmarks share: loading windows into {@code telemetry-aggregates},
 * launching serving-api's exec jar in its own JVM, reading its store gauges, and
 * percentiles. They talk to serving-api over HTTP and Kafka only.
 */
final class ServingBench {

	static final Path SERVING_JAR = Path.of("serving-api", "target", "serving-api-exec.jar");

	static final String AGGREGATES = "telemetry-aggregates";

	private static final Pattern GAUGE = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

	private ServingBench() {
	}

	/**
	 * Publish every window of {@code data}, minute by minute (as processing would emit
	 * them), keyed by sensor, with a batching producer.
	 * @return windows per second
	 */
	static double publish(String brokers, WindowData data) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
		config.put(ProducerConfig.ACKS_CONFIG, "1");
		config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
		config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
		config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		long began = System.nanoTime();
		long windows = data.windows();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			long sent = 0;
			for (int minute = 0; minute < data.minutes(); minute++) {
				for (int sensor = 0; sensor < data.sensors(); sensor++) {
					WindowData.Window window = data.window(sensor, minute);
					producer.send(new ProducerRecord<>(AGGREGATES, window.sensorId(),
							window.json().getBytes(StandardCharsets.UTF_8)), (metadata, ex) -> {
								if (ex != null) {
									throw new IllegalStateException("A window was not published", ex);
								}
							});
					if (++sent % 1_000_000 == 0) {
						System.out.printf("  published %,d of %,d windows%n", sent, windows);
					}
				}
			}
			producer.flush();
		}
		return windows / ((System.nanoTime() - began) / 1e9);
	}

	/**
	 * serving-api's properties: the broker, an API key, room for {@code maxWindows}, plus
	 * {@code -Dmillrace.bench.serving-props=key=value,...}.
	 */
	static Map<String, String> servingProperties(String brokers, String apiKey, long maxWindows) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", brokers);
		properties.put("millrace.serving.max-windows", Long.toString(maxWindows));
		properties.put("logging.level.root", "WARN");
		properties.putAll(LocalApiKey.apiProperties(apiKey));
		for (String pair : System.getProperty("millrace.bench.serving-props", "").split(",")) {
			if (pair.contains("=")) {
				properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		}
		return properties;
	}

	/**
	 * Launch serving-api with {@code -Dmillrace.bench.serving-jvm} (default
	 * {@code defaultJvm}) and wait until it is ready (its store rebuilt from the topic).
	 */
	static ServiceProcess launchServing(Map<String, String> properties, String defaultJvm, Duration timeout) {
		List<String> jvm = Arrays.asList(System.getProperty("millrace.bench.serving-jvm", defaultJvm).split(" "));
		System.out.println("serving-api JVM: " + String.join(" ", jvm));
		ServiceProcess serving = ServiceProcess.launch("serving-api", SERVING_JAR, FreePorts.next(), FreePorts.next(),
				properties, jvm, Path.of("benchmarks", "target", "serving-bench.log"));
		serving.awaitReady(timeout);
		return serving;
	}

	/**
	 * A gauge or counter from serving-api's Prometheus scrape, summed over its labels
	 * that contain {@code labelPart}; NaN if absent.
	 */
	static double metric(ServiceProcess serving, String name, String labelPart) {
		String text = LocalHttp.get(serving.managementUrl() + "/actuator/prometheus").body();
		Matcher matcher = GAUGE.matcher(text);
		double sum = Double.NaN;
		while (matcher.find()) {
			if (matcher.group(1).equals(name)
					&& (labelPart == null || (matcher.group(2) != null && matcher.group(2).contains(labelPart)))) {
				sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(matcher.group(3));
			}
		}
		return sum;
	}

	/**
	 * serving-api's heap in use after a full GC ({@code jcmd <pid> GC.run}), bytes.
	 */
	static double heapAfterGc(ServiceProcess serving) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					Long.toString(serving.pid()), "GC.run")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			jcmd.waitFor();
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Double.NaN;
		}
		return metric(serving, "jvm_memory_used_bytes", "area=\"heap\"");
	}

	static double millis(long nanos) {
		return nanos / 1e6;
	}

	/** Percentile of latencies in nanoseconds, in milliseconds. */
	static double p(long[] nanos, double percentile) {
		return millis((long) Stats.percentile(nanos.clone(), percentile));
	}

	static String ms(double millis) {
		return String.format(Locale.ROOT, "%.2f", millis);
	}

	/** A growable list of longs: latencies recorded by one thread. */
	static final class Samples implements LongConsumer {

		private long[] values = new long[1024];

		private int size;

		@Override
		public void accept(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		int size() {
			return this.size;
		}

		long[] toArray() {
			return Arrays.copyOf(this.values, this.size);
		}

		static long[] concat(List<Samples> all) {
			long[] joined = new long[all.stream().mapToInt(Samples::size).sum()];
			int at = 0;
			for (Samples samples : all) {
				System.arraycopy(samples.values, 0, joined, at, samples.size);
				at += samples.size;
			}
			return joined;
		}

	}

}
