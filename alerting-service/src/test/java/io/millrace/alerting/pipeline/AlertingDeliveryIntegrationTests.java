package io.millrace.alerting.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalApiKey;
import io.millrace.local.ServiceProcess;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * alerting-service's exec jar as a process, between a real KRaft broker and a real HTTP
 * receiver that verifies every signature with the Standard Webhooks reference library:
 * the receiver down (connection refused), then failing (503), then throttling (429 with
 * {@code Retry-After}), then up; the service SIGKILLed while retrying, and again right
 * after deciding, before its checkpoint, and started again each time. Every notification
 * arrives, duplicates only with the same {@code webhook-id}.
 */
class AlertingDeliveryIntegrationTests {

	static final Path JAR = Path.of("target", "alerting-service-exec.jar");

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	static final int SENSORS = 4;

	static KafkaKraftBroker broker;

	static Path work;

	final WebhookSecret secret = WebhookSecret.generate();

	final List<ServiceProcess> launched = new ArrayList<>();

	Receiver receiver;

	@BeforeAll
	static void startBroker() throws IOException {
		broker = KafkaKraftBroker.startTemporary(Map.of("telemetry-aggregates", 3));
		work = Files.createTempDirectory("alerting-delivery");
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@AfterEach
	void stop() {
		this.launched.forEach(ServiceProcess::close);
		if (this.receiver != null) {
			this.receiver.close();
		}
	}

	@Test
	void everyNotificationArrivesOnceTheReceiverIsUpAfterBeingDownFailingAndThrottling() throws Exception {
		String name = "outbox-down";
		this.receiver = new Receiver(FreePorts.next(), this.secret);
		launch(name).awaitReady(Duration.ofMinutes(2));
		publish(name);
		// Nothing listens: connection refused, retried every second.
		Thread.sleep(4000);
		this.receiver.start(503);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.ids(503).size() == SENSORS);
		// Throttled: the schedule says 1 s, Retry-After says 3 s, and Retry-After wins.
		this.receiver.answer(429, "3");
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.ids(429).size() == SENSORS);
		this.receiver.answer(204);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.ids(204).size() == SENSORS);
		Thread.sleep(3000);

		assertThat(this.receiver.invalidSignatures).isEmpty();
		Map<String, List<Request>> byId = this.receiver.byId();
		assertThat(byId).hasSize(SENSORS);
		byId.forEach((id, attempts) -> {
			assertThat(attempts.stream().filter((request) -> request.status() == 204)).as(id).hasSize(1);
			assertThat(attempts.stream().map(Request::body).distinct()).as(id).hasSize(1);
			assertThat(attempts.get(0).status()).isEqualTo(503);
			for (int i = 1; i < attempts.size(); i++) {
				if (attempts.get(i - 1).status() == 429) {
					assertThat(attempts.get(i).at() - attempts.get(i - 1).at()).as(id + " after 429")
						.isGreaterThanOrEqualTo(2900);
				}
			}
		});
		assertAlertIdsMatch(name, byId.keySet());
	}

	@Test
	void aServiceKilledWhileRetryingDeliversEverythingAfterItsRestartWithTheSameIds() throws Exception {
		String name = "outbox-kill";
		this.receiver = new Receiver(FreePorts.next(), this.secret);
		this.receiver.start(503);
		ServiceProcess first = launch(name);
		first.awaitReady(Duration.ofMinutes(2));
		publish(name);
		// Each notification has failed at least twice: its attempts are in a checkpoint.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.receiver.byId().size() == SENSORS
					&& this.receiver.byId().values().stream().allMatch((attempts) -> attempts.size() >= 2));
		first.kill();
		int beforeRestart = this.receiver.requests.size();
		this.receiver.answer(204);
		launch(name).awaitReady(Duration.ofMinutes(2));
		await().atMost(Duration.ofSeconds(90)).until(() -> this.receiver.ids(204).size() == SENSORS);
		Thread.sleep(3000);

		assertThat(this.receiver.invalidSignatures).isEmpty();
		assertThat(this.receiver.requests.size()).isGreaterThan(beforeRestart);
		Map<String, List<Request>> byId = this.receiver.byId();
		// Duplicates, if any, carry the same webhook-id and body: at least once, never a
		// second notification for one decision.
		assertThat(byId).hasSize(SENSORS);
		byId.forEach((id, attempts) -> {
			assertThat(attempts.stream().filter((request) -> request.status() == 204)).as(id).isNotEmpty();
			assertThat(attempts.stream().map(Request::body).distinct()).as(id).hasSize(1);
		});
		assertAlertIdsMatch(name, byId.keySet());

		// Killed between deciding and delivering: the first notification of a new batch
		// is
		// out, the others and the checkpoint (1 s) are not yet. Nothing is lost after a
		// restart; a notification sent twice carries its id twice.
		ServiceProcess second = this.launched.get(this.launched.size() - 1);
		this.receiver.answer(204, null, Duration.ofMillis(300));
		publish(name, "late");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.idsOf(name + "-late").size() >= 1);
		second.kill();
		launch(name).awaitReady(Duration.ofMinutes(2));
		await().atMost(Duration.ofSeconds(90)).until(() -> this.receiver.idsOf(name + "-late").size() == SENSORS);
		Thread.sleep(3000);
		assertThat(this.receiver.invalidSignatures).isEmpty();
		this.receiver.byId()
			.forEach((id, attempts) -> assertThat(attempts.stream().map(Request::body).distinct()).as(id).hasSize(1));
	}

	@Test
	void twoReplicasDeliverEachNotificationOnceByPartitionOwnership() throws Exception {
		String name = "outbox-two";
		this.receiver = new Receiver(FreePorts.next(), this.secret);
		this.receiver.start(204);
		ServiceProcess first = launch(name);
		ServiceProcess second = launch(name);
		first.awaitReady(Duration.ofMinutes(2));
		second.awaitReady(Duration.ofMinutes(2));
		// Let the group settle: both members own partitions before anything is published.
		Thread.sleep(10_000);
		publish(name);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.receiver.ids(204).size() == SENSORS);
		Thread.sleep(3000);

		assertThat(this.receiver.invalidSignatures).isEmpty();
		assertThat(this.receiver.requests).hasSize(SENSORS);
		assertAlertIdsMatch(name, this.receiver.byId().keySet());
	}

	private void assertAlertIdsMatch(String name, Set<String> webhookIds) {
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			List<String> alertIds = topics
				.readUntil(name + "-alerts", (records) -> records.size() >= SENSORS, Duration.ofSeconds(30))
				.stream()
				.map((record) -> read(record.value()).alertId())
				.distinct()
				.toList();
			assertThat(alertIds).hasSize(SENSORS);
			assertThat(alertIds.stream().map((id) -> "msg_" + id.replace("-", "")))
				.containsExactlyInAnyOrderElementsOf(webhookIds);
		}
	}

	private ServiceProcess launch(String name) {
		broker.createTopics(Map.of(name + "-aggregates", 3, name + "-alerts", 3, name + "-deadletter", 1));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
		properties.put("spring.cloud.stream.bindings.evaluateAggregates-in-0.group", name);
		properties.put("spring.cloud.stream.bindings.evaluateAggregates-in-0.destination", name + "-aggregates");
		properties.put("spring.cloud.stream.bindings.alerts.destination", name + "-alerts");
		properties.put("spring.cloud.stream.bindings.deadletter.destination", name + "-deadletter");
		properties.put("millrace.alerting.subscriptions[0].id", "receiver");
		properties.put("millrace.alerting.subscriptions[0].url", this.receiver.url());
		properties.put("millrace.alerting.subscriptions[0].format", "millrace");
		properties.put("millrace.alerting.subscriptions[0].secret", this.secret.value());
		properties.put("millrace.alerting.delivery.allow-http", "true");
		properties.put("millrace.alerting.delivery.allow-list", "127.0.0.1");
		properties.put("millrace.alerting.delivery.retry-delays",
				String.join(",", java.util.Collections.nCopies(60, "1s")));
		properties.put("millrace.alerting.delivery.jitter", "0");
		properties.put("millrace.alerting.checkpoint.directory", work.resolve(name + "-checkpoints").toString());
		properties.put("millrace.runtime.tick-interval", "200ms");
		properties.putAll(LocalApiKey.apiProperties(ApiKeyHashes.generate()));
		ServiceProcess process = ServiceProcess.launch(name, JAR, FreePorts.next(), FreePorts.next(), properties,
				ServiceProcess.DEFAULT_JVM_OPTIONS, work.resolve(name + "-" + this.launched.size() + ".log"));
		this.launched.add(process);
		return process;
	}

	private void publish(String name) {
		publish(name, "pump");
	}

	private void publish(String name, String sensors) {
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			for (int sensor = 0; sensor < SENSORS; sensor++) {
				WindowAggregate aggregate = aggregate(name + "-" + sensors + "-" + sensor, 95);
				topics.send(name + "-aggregates", aggregate.sensorId(), MillraceJson.bytes(aggregate));
			}
		}
	}

	static WindowAggregate aggregate(String sensor, double max) {
		AggregateWindow window = AggregateWindow.tumbling(T0, Duration.ofMinutes(1));
		return new WindowAggregate(sensor, "temperature", window, 2, max + 60, 60, max, (max + 60) / 2, 1.0, null, null,
				null, 60.0, max, true, 0, WindowAggregate.ON_TIME, T0);
	}

	static AlertEvent read(byte[] json) {
		try {
			return MillraceJson.mapper().readValue(json, AlertEvent.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One request the receiver answered.
	 *
	 * @param id its webhook-id
	 * @param body its body
	 * @param status the answer
	 * @param at when it came, epoch milliseconds
	 */
	record Request(String id, String body, int status, long at) {
	}

	/**
	 * A real HTTP receiver on a fixed port: not listening until started (connection
	 * refused), then answering what it is told, verifying each signature.
	 */
	static final class Receiver implements AutoCloseable {

		final int port;

		final Webhook verifier;

		final AtomicInteger status = new AtomicInteger(503);

		volatile String retryAfter;

		volatile Duration delay = Duration.ZERO;

		final List<Request> requests = new CopyOnWriteArrayList<>();

		final List<String> invalidSignatures = new CopyOnWriteArrayList<>();

		HttpServer server;

		Receiver(int port, WebhookSecret secret) {
			this.port = port;
			this.verifier = new Webhook(secret.value());
		}

		String url() {
			return "http://127.0.0.1:" + this.port + "/hooks";
		}

		void start(int answer) throws IOException {
			this.status.set(answer);
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 0);
			this.server.createContext("/hooks", (exchange) -> {
				try (exchange) {
					String body;
					try (InputStream in = exchange.getRequestBody()) {
						body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
					}
					String id = exchange.getRequestHeaders().getFirst("webhook-id");
					try {
						Map<String, List<String>> headers = new HashMap<>();
						exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(), values));
						this.verifier.verify(body, headers);
					}
					catch (Exception ex) {
						this.invalidSignatures.add(id + ": " + ex);
					}
					int status = this.status.get();
					this.requests.add(new Request(id, body, status, System.currentTimeMillis()));
					if (this.retryAfter != null) {
						exchange.getResponseHeaders().set("Retry-After", this.retryAfter);
					}
					sleep(this.delay);
					exchange.sendResponseHeaders(status, -1);
				}
			});
			this.server.setExecutor(Executors.newFixedThreadPool(2));
			this.server.start();
		}

		void answer(int status) {
			answer(status, null);
		}

		void answer(int status, String retryAfter) {
			answer(status, retryAfter, Duration.ZERO);
		}

		/**
		 * @param status what to answer from now on
		 * @param retryAfter the {@code Retry-After} to send with it, or null
		 * @param delay how long to take over each answer
		 */
		void answer(int status, String retryAfter, Duration delay) {
			this.retryAfter = retryAfter;
			this.delay = delay;
			this.status.set(status);
		}

		private static void sleep(Duration delay) {
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** The webhook-ids of the notifications about sensors whose ids start so. */
		Set<String> idsOf(String sensorPrefix) {
			return this.requests.stream()
				.filter((request) -> request.body().contains("\"sensorId\":\"" + sensorPrefix))
				.map(Request::id)
				.collect(Collectors.toSet());
		}

		Set<String> ids(int status) {
			return this.requests.stream()
				.filter((request) -> request.status() == status)
				.map(Request::id)
				.collect(Collectors.toSet());
		}

		Map<String, List<Request>> byId() {
			return this.requests.stream()
				.collect(Collectors.groupingBy(Request::id, LinkedHashMap::new, Collectors.toList()));
		}

		@Override
		public void close() {
			if (this.server != null) {
				this.server.stop(0);
			}
		}

	}

}
