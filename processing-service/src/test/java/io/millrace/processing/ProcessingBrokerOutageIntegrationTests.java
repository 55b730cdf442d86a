package io.millrace.processing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.millrace.local.RestartableBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management plane while the broker is gone: with processing-service running against
 * a broker that stops for 30 s, every scrape of {@code /actuator/prometheus} and every
 * liveness and readiness probe answers within 1 s throughout (readiness may say the
 * binder is down: it answers), and processing resumes when the broker is back.
 */
class ProcessingBrokerOutageIntegrationTests {

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();

	@Test
	void scrapesAndProbesAnswerWithinASecondWhileTheBrokerIsDown() throws Exception {
		Path work = Files.createDirectories(Path.of("target", "outage-test"))
			.resolve(String.valueOf(System.currentTimeMillis()));
		try (RestartableBroker broker = new RestartableBroker()) {
			ProcessingScenario scenario = new ProcessingScenario(work, broker.bootstrapServers(), "outage");
			try {
				ServiceProcess service = scenario.launch(1);
				service.awaitReady(Duration.ofSeconds(120));
				write(broker, 0, 500);
				Awaitility.await("the first records processed")
					.atMost(Duration.ofSeconds(60))
					.until(() -> !scenario.committedOffsets().isEmpty());

				// The first requests load classes and warm up: not what is measured.
				for (int i = 0; i < 3; i++) {
					probe(service, "/actuator/prometheus");
					probe(service, "/actuator/health/readiness");
				}

				broker.stop();
				List<String> slow = new ArrayList<>();
				long probes = 0;
				long slowest = 0;
				long until = System.nanoTime() + OUTAGE.toNanos();
				while (System.nanoTime() < until) {
					for (String path : List.of("/actuator/prometheus", "/actuator/health/liveness",
							"/actuator/health/readiness")) {
						long started = System.nanoTime();
						String outcome = probe(service, path);
						long millis = (System.nanoTime() - started) / 1_000_000;
						probes++;
						slowest = Math.max(slowest, millis);
						if (millis > ANSWER_WITHIN.toMillis() || outcome.equals("no answer")) {
							slow.add(path + " " + outcome + " after " + millis + " ms, "
									+ (outageMillis(until) / 1000.0) + " s into the outage");
						}
					}
					Thread.sleep(250);
				}
				broker.restart();
				System.out.printf("Broker outage: %d scrapes and probes in %d s, slowest %d ms, %d slower than %d ms%n",
						probes, OUTAGE.toSeconds(), slowest, slow.size(), ANSWER_WITHIN.toMillis());
				assertThat(probes).isGreaterThan(60);
				assertThat(slow).as("scrapes and probes slower than %s while the broker was down", ANSWER_WITHIN)
					.isEmpty();

				write(broker, 500, 500);
				Awaitility.await("processing resumes after the outage")
					.atMost(Duration.ofSeconds(90))
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> scenario.committedAtLeast(scenario.endOffsets()));
			}
			finally {
				scenario.stopAll();
			}
		}
	}

	private static long outageMillis(long until) {
		return OUTAGE.toMillis() - (until - System.nanoTime()) / 1_000_000;
	}

	/** The status code, or "no answer" when none came within the limit. */
	private String probe(ServiceProcess service, String path) throws Exception {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(service.managementUrl() + path)).timeout(ANSWER_WITHIN).build(),
					HttpResponse.BodyHandlers.ofString());
			return String.valueOf(response.statusCode());
		}
		catch (HttpTimeoutException ex) {
			return "no answer";
		}
	}

	private static void write(RestartableBroker broker, int from, int count) {
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map
			.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = from; i < from + count; i++) {
				String sensor = "sensor-" + (i % 20);
				String json = "{\"eventId\":\"o" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\""
						+ Instant.now() + "\",\"value\":" + (i % 50) + "}";
				producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, sensor.getBytes(StandardCharsets.UTF_8),
						json.getBytes(StandardCharsets.UTF_8)));
			}
		}
	}

}
