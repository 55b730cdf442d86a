package io.millrace.alerting.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.model.alert.AlertEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert as JSON to the configured webhook, in order, on its own thread so a
 * slow receiver never stalls the consumer. A failed attempt (connection error, timeout,
 * 5xx, 408 or 429) is retried with exponential backoff up to the configured attempts;
 * other 4xx answers are not retried. An alert that exhausts its attempts is logged at
 * ERROR and counted: in this version the queue lives in memory, so a restart loses
 * undelivered alerts (they remain on the {@code alerts} topic).
 */
public final class WebhookDelivery implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDelivery.class);

	private final AlertingProperties.Webhook webhook;

	private final HttpClient http;

	private final ExecutorService sender;

	private final MeterRegistry registry;

	private final Counter attempts;

	public WebhookDelivery(AlertingProperties.Webhook webhook, MeterRegistry registry) {
		this.webhook = webhook;
		this.registry = registry;
		this.http = HttpClient.newBuilder().connectTimeout(webhook.timeout()).build();
		this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
				(runnable) -> new Thread(runnable, "webhook-delivery"));
		this.attempts = Counter.builder("millrace.alerting.webhook.attempts")
			.description("HTTP attempts to deliver alerts to the webhook")
			.register(registry);
		outcome("delivered");
		outcome("failed");
	}

	/**
	 * Queue an alert for delivery.
	 * @param alert the alert
	 * @param json the alert as JSON, the body posted
	 */
	public void submit(AlertEvent alert, byte[] json) {
		this.sender.execute(() -> deliver(alert, json));
	}

	private void deliver(AlertEvent alert, byte[] body) {
		Duration backoff = this.webhook.initialBackoff();
		for (int attempt = 1; attempt <= this.webhook.maxAttempts(); attempt++) {
			this.attempts.increment();
			String failure = attemptOnce(alert, body);
			if (failure == null) {
				outcome("delivered").increment();
				return;
			}
			if (failure.startsWith("final:") || attempt == this.webhook.maxAttempts()) {
				logger.error("Giving up on alert {} ({} {}) after {} attempt(s): {}", alert.alertId(), alert.status(),
						alert.fingerprint(), attempt, failure.replaceFirst("^final:", ""));
				outcome("failed").increment();
				return;
			}
			logger.warn("Webhook attempt {} for alert {} failed ({}); retrying in {}", attempt, alert.alertId(),
					failure, backoff);
			if (!sleep(backoff)) {
				return;
			}
			backoff = backoff.multipliedBy(2);
		}
	}

	/**
	 * Returns null on success, else the reason, prefixed {@code final:} if not retryable.
	 */
	private String attemptOnce(AlertEvent alert, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(this.webhook.url())
			.timeout(this.webhook.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", "millrace-alerting")
			.header("X-Millrace-Alert-Id", alert.alertId())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			int status = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status >= 200 && status < 300) {
				return null;
			}
			boolean retryable = status >= 500 || status == 408 || status == 429;
			return (retryable ? "" : "final:") + "receiver answered " + status;
		}
		catch (IOException ex) {
			return ex.toString();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "final:interrupted";
		}
	}

	private Counter outcome(String outcome) {
		return Counter.builder("millrace.alerting.webhook.deliveries")
			.description("Alerts delivered to the webhook, or given up on, by outcome")
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private static boolean sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.sender.shutdown();
		this.sender.awaitTermination(10, TimeUnit.SECONDS);
	}

}
