package io.millrace.alerting.subscriptions;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.millrace.alerting.catalog.ConfiguredDefinitions;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.catalog.SubscriptionDocument;
import io.millrace.alerting.catalog.SubscriptionFilters;

/**
 * A subscription as the API shows it: never a secret, except {@code secret} in the answer
 * that made it (creation or rotation), the only time it is shown. Custom header values
 * are hidden too: they are usually the receiver's credentials.
 *
 * @param id its id
 * @param source {@code api}, or {@code configuration} (read-only here)
 * @param url where notifications are POSTed
 * @param format the payload format
 * @param headers its own headers, values hidden
 * @param filters which alerts it receives
 * @param createdAt when it was made through the API
 * @param previousSecretExpiresAt while a rotation's overlap lasts, when the previous
 * secret stops being signed with
 * @param disabledAt when it was disabled; absent while it receives notifications
 * @param disabledReason why
 * @param secret the signing secret, only in the answer that made it
 */
record SubscriptionView(String id, String source, URI url, String format, Map<String, String> headers,
		SubscriptionFilters filters, Instant createdAt, Instant previousSecretExpiresAt, Instant disabledAt,
		String disabledReason, String secret) {

	static final String HIDDEN = "(hidden)";

	static SubscriptionView of(SubscriptionDocument document) {
		return new SubscriptionView(document.id(), "api", document.url(), document.format(), hidden(document.headers()),
				document.filters(), document.createdAt(), document.previousSecretExpiresAt(), document.disabledAt(),
				document.disabledReason(), null);
	}

	static SubscriptionView configured(Subscription subscription) {
		return new SubscriptionView(subscription.id(), "configuration", subscription.url(),
				ConfiguredDefinitions.formatName(subscription.format()), hidden(subscription.headers()),
				subscription.filters(), null, null, subscription.disabledAt(), subscription.disabledReason(), null);
	}

	/**
	 * This view with the secret, for the one answer that shows it.
	 * @param value the secret
	 * @return the view
	 */
	SubscriptionView withSecret(String value) {
		return new SubscriptionView(this.id, this.source, this.url, this.format, this.headers, this.filters,
				this.createdAt, this.previousSecretExpiresAt, this.disabledAt, this.disabledReason, value);
	}

	private static Map<String, String> hidden(Map<String, String> headers) {
		Map<String, String> hidden = new TreeMap<>();
		headers.keySet().forEach((name) -> hidden.put(name, HIDDEN));
		return hidden;
	}

}
