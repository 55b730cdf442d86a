package io.millrace.alerting.pipeline;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.model.alert.AlertEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook subscriptions, from configuration ({@code millrace.alerting.subscriptions},
 * plus {@code millrace.alerting.webhook.url} as the subscription {@code default}).
 */
final class Subscriptions {

	/** The id of the subscription made from {@code millrace.alerting.webhook.url}. */
	static final String DEFAULT_ID = "default";

	private static final Logger logger = LoggerFactory.getLogger(Subscriptions.class);

	private final Map<String, Subscription> byId;

	Subscriptions(List<Subscription> subscriptions) {
		Map<String, Subscription> byId = new LinkedHashMap<>();
		for (Subscription subscription : subscriptions) {
			if (byId.put(subscription.id(), subscription) != null) {
				throw new IllegalArgumentException("Two subscriptions are named " + subscription.id());
			}
		}
		this.byId = byId;
	}

	static Subscriptions from(AlertingProperties properties) {
		List<Subscription> subscriptions = new ArrayList<>();
		AlertingProperties.Webhook webhook = properties.webhook();
		if (webhook.url() != null && !webhook.url().toString().isBlank()) {
			subscriptions.add(new Subscription(DEFAULT_ID, webhook.url(), PayloadFormat.MILLRACE_JSON,
					secret(DEFAULT_ID, webhook.secret()), Map.of(), new AlertingProperties.Filters(null, null, null)));
		}
		for (AlertingProperties.Subscription configured : properties.subscriptions()) {
			subscriptions.add(new Subscription(configured.id(), configured.url(), format(configured.format()),
					secret(configured.id(), configured.secret()), configured.headers(), configured.filters()));
		}
		return new Subscriptions(subscriptions);
	}

	private static WebhookSecret secret(String id, String configured) {
		if (configured == null || configured.isBlank()) {
			logger.warn("Subscription {} has no secret: its deliveries are signed with a secret made at start, "
					+ "which its receiver cannot know. Configure one (whsec_…) to let it verify them", id);
			return WebhookSecret.generate();
		}
		return WebhookSecret.of(configured.trim());
	}

	static PayloadFormat format(String name) {
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "millrace", "millrace-json" -> PayloadFormat.MILLRACE_JSON;
			case "cloudevents", "cloudevents-structured" -> PayloadFormat.CLOUDEVENTS_STRUCTURED;
			case "alertmanager", "alertmanager-v4" -> PayloadFormat.ALERTMANAGER_V4;
			default -> throw new IllegalArgumentException(
					"Unknown payload format " + name + "; one of millrace, cloudevents, alertmanager");
		};
	}

	Subscription get(String id) {
		return this.byId.get(id);
	}

	List<Subscription> all() {
		return List.copyOf(this.byId.values());
	}

	/** Those an alert goes to. */
	List<Subscription> matching(AlertEvent alert) {
		return this.byId.values().stream().filter((subscription) -> subscription.matches(alert)).toList();
	}

	/**
	 * One subscription.
	 *
	 * @param id its name
	 * @param url where notifications go
	 * @param format the payload format
	 * @param secret the signing secret
	 * @param headers its own headers
	 * @param filters which alerts it receives
	 */
	record Subscription(String id, URI url, PayloadFormat format, WebhookSecret secret, Map<String, String> headers,
			AlertingProperties.Filters filters) {

		Subscription {
			// Fails at start, not at the first delivery, on a reserved or broken header.
			new WebhookRequest(url, "msg_check", new byte[0], format.contentType(), headers, List.of(secret));
		}

		boolean matches(AlertEvent alert) {
			if (!this.filters.rules().isEmpty() && !this.filters.rules().contains(alert.ruleId())) {
				return false;
			}
			if (!this.filters.severities().isEmpty() && !this.filters.severities().contains(alert.severity())) {
				return false;
			}
			Map<String, String> labels = (alert.labels() != null) ? alert.labels() : Map.of();
			return this.filters.labels()
				.entrySet()
				.stream()
				.allMatch((label) -> label.getValue().equals(labels.get(label.getKey())));
		}

		WebhookRequest request(OutboxEntry entry) {
			return new WebhookRequest(this.url, entry.notificationId(), entry.payload(), this.format.contentType(),
					this.headers, List.of(this.secret));
		}

	}

}
