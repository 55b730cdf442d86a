package io.millrace.alerting.delivery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.transport.KeyedMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Delivery against a real HTTP receiver that fails on purpose. */
class WebhookDeliveryTests {

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private HttpServer receiver;

	@AfterEach
	void stop() {
		this.receiver.stop(0);
	}

	@Test
	void retriesFailuresWithBackoffUntilTheReceiverAccepts() throws Exception {
		startReceiver(503, 503, 204);
		try (WebhookDelivery delivery = new WebhookDelivery(webhook(5), this.registry)) {
			submit(delivery, alert());
			await().atMost(Duration.ofSeconds(10)).until(() -> this.bodies.size() == 3);
		}
		assertThat(this.bodies.get(2)).contains("\"status\":\"firing\"", "\"ruleId\":\"hot\"");
		assertThat(
				this.registry.get("millrace.alerting.webhook.deliveries").tag("outcome", "delivered").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("millrace.alerting.webhook.attempts").counter().count()).isEqualTo(3);
	}

	@Test
	void givesUpAfterTheConfiguredAttemptsAndDoesNotRetryARejection() throws Exception {
		startReceiver(500, 500, 400);
		try (WebhookDelivery delivery = new WebhookDelivery(webhook(2), this.registry)) {
			submit(delivery, alert());
			submit(delivery, alert());
		}
		assertThat(this.requests.get()).as("2 attempts, then 1 for the rejected one").isEqualTo(3);
		assertThat(this.registry.get("millrace.alerting.webhook.deliveries").tag("outcome", "failed").counter().count())
			.isEqualTo(2);
	}

	@Test
	void retriesWhenTheReceiverIsNotListening() throws Exception {
		startReceiver(204);
		int port = this.receiver.getAddress().getPort();
		this.receiver.stop(0);
		try (WebhookDelivery delivery = new WebhookDelivery(webhook(2), this.registry)) {
			submit(delivery, alert());
		}
		assertThat(this.registry.get("millrace.alerting.webhook.attempts").counter().count()).isEqualTo(2);
		assertThat(this.registry.get("millrace.alerting.webhook.deliveries").tag("outcome", "failed").counter().count())
			.isEqualTo(1);
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
	}

	private static void submit(WebhookDelivery delivery, AlertEvent alert) {
		delivery.submit(alert, KeyedMessages.keyedJson(alert, alert.sensorId()).getPayload());
	}

	private void startReceiver(int... statuses) throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/hook", (exchange) -> {
			int n = this.requests.getAndIncrement();
			this.bodies.add(new String(exchange.getRequestBody().readAllBytes()));
			exchange.sendResponseHeaders(statuses[Math.min(n, statuses.length - 1)], -1);
			exchange.close();
		});
		this.receiver.start();
	}

	private AlertingProperties.Webhook webhook(int attempts) {
		return new AlertingProperties.Webhook(
				URI.create("http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hook"), Duration.ofSeconds(2),
				attempts, Duration.ofMillis(50));
	}

	private static AlertEvent alert() {
		Instant start = Instant.parse("2026-11-25T10:00:00Z");
		return new AlertEvent("a-1", "hot", "f", AlertStatus.FIRING, "warning", "s1", "temperature", 91, 80,
				AggregateWindow.tumbling(start, Duration.ofMinutes(1)), start.plusSeconds(60), null,
				Map.of("rule", "hot"), Map.of("summary", "s1 is hot"));
	}

}
