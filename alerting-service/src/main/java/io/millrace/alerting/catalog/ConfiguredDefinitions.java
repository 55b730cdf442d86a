package io.millrace.alerting.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.RuleValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules and subscriptions that configuration defines
 * ({@code millrace.alerting.rules}, {@code millrace.alerting.subscriptions}, and
 * {@code millrace.alerting.webhook.url} as the subscription {@code default}), checked at
 * start so a typo fails the start, not the first alert.
 */
public final class ConfiguredDefinitions {

	/** The id of the subscription made from {@code millrace.alerting.webhook.url}. */
	public static final String DEFAULT_SUBSCRIPTION = "default";

	private static final Logger logger = LoggerFactory.getLogger(ConfiguredDefinitions.class);

	private ConfiguredDefinitions() {
	}

	/**
	 * The configured rules.
	 * @param properties the configuration
	 * @return the rules
	 * @throws IllegalStateException naming every invalid field of every invalid rule
	 */
	public static List<Rule> rules(AlertingProperties properties) {
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < properties.rules().size(); i++) {
			for (FieldError error : RuleValidator.validate(properties.rules().get(i))) {
				problems.add(
						"millrace.alerting.rules[" + i + "]" + error.field().replace('/', '.') + " " + error.message());
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid rules in configuration: " + String.join("; ", problems));
		}
		return properties.rules();
	}

	/**
	 * The configured subscriptions.
	 * @param properties the configuration
	 * @return the subscriptions
	 */
	public static List<Subscription> subscriptions(AlertingProperties properties) {
		List<Subscription> subscriptions = new ArrayList<>();
		AlertingProperties.Webhook webhook = properties.webhook();
		if (webhook.url() != null && !webhook.url().toString().isBlank()) {
			subscriptions.add(Subscription.of(DEFAULT_SUBSCRIPTION, webhook.url(), PayloadFormat.MILLRACE_JSON,
					secret(DEFAULT_SUBSCRIPTION, webhook.secret()), Map.of(), SubscriptionFilters.none()));
		}
		for (AlertingProperties.Subscription configured : properties.subscriptions()) {
			subscriptions.add(Subscription.of(configured.id(), configured.url(), format(configured.format()),
					secret(configured.id(), configured.secret()), configured.headers(), configured.filters()));
		}
		for (Subscription subscription : subscriptions) {
			// Fails the start, not the first delivery, on a reserved or broken header.
			subscription.request("msg_check", new byte[0], Instant.EPOCH);
		}
		return subscriptions;
	}

	private static WebhookSecret secret(String id, String configured) {
		if (configured == null || configured.isBlank()) {
			logger.warn("Subscription {} has no secret: its deliveries are signed with a secret made at start, "
					+ "which its receiver cannot know. Configure one (whsec_…) to let it verify them", id);
			return WebhookSecret.generate();
		}
		return WebhookSecret.of(configured.trim());
	}

	/**
	 * A payload format by the name the API and configuration use.
	 * @param name {@code millrace}, {@code cloudevents} or {@code alertmanager}
	 * @return the format
	 * @throws IllegalArgumentException for any other name
	 */
	public static PayloadFormat format(String name) {
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "millrace", "millrace-json" -> PayloadFormat.MILLRACE_JSON;
			case "cloudevents", "cloudevents-structured" -> PayloadFormat.CLOUDEVENTS_STRUCTURED;
			case "alertmanager", "alertmanager-v4" -> PayloadFormat.ALERTMANAGER_V4;
			default -> throw new IllegalArgumentException(
					"Unknown payload format " + name + "; one of millrace, cloudevents, alertmanager");
		};
	}

	/**
	 * The name the API and configuration use for a payload format.
	 * @param format the format
	 * @return {@code millrace}, {@code cloudevents} or {@code alertmanager}
	 */
	public static String formatName(PayloadFormat format) {
		return switch (format) {
			case MILLRACE_JSON -> "millrace";
			case CLOUDEVENTS_STRUCTURED -> "cloudevents";
			case ALERTMANAGER_V4 -> "alertmanager";
		};
	}

}
