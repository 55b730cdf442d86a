package io.millrace.alerting.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.millrace.alerting.delivery.signing.WebhookSecret;

/**
 * A subscription made through the API, as stored: with its secrets, which only the
 * delivery code reads back (the API shows a secret once, when it is made).
 *
 * @param id its id
 * @param url where notifications are POSTed
 * @param format {@code millrace}, {@code cloudevents} or {@code alertmanager}
 * @param secret the signing secret, {@code whsec_…}
 * @param previousSecret the secret before the last rotation, during its overlap
 * @param previousSecretExpiresAt when the overlap ends
 * @param headers headers of its own
 * @param filters which alerts it receives
 * @param createdAt when it was made
 * @param disabledAt when it was disabled; null while enabled
 * @param disabledReason why
 */
public record SubscriptionDocument(String id, URI url, String format, String secret, String previousSecret,
		Instant previousSecretExpiresAt, Map<String, String> headers, SubscriptionFilters filters, Instant createdAt,
		Instant disabledAt, String disabledReason) {

	public SubscriptionDocument {
		headers = (headers != null) ? new TreeMap<>(headers) : new TreeMap<>();
		filters = (filters != null) ? filters : SubscriptionFilters.none();
	}

	/**
	 * The subscription as the pipeline delivers to it.
	 * @return the subscription
	 * @throws IllegalArgumentException if a stored secret or format is broken
	 */
	public Subscription toSubscription() {
		return new Subscription(this.id, this.url, ConfiguredDefinitions.format(this.format),
				WebhookSecret.of(this.secret),
				(this.previousSecret != null) ? WebhookSecret.of(this.previousSecret) : null,
				this.previousSecretExpiresAt, this.headers, this.filters, this.disabledAt, this.disabledReason);
	}

	/**
	 * @param stored the signing secret as stored
	 * @param previousStored the previous secret as stored, or {@code null}
	 * @return this document with its secrets replaced (sealed for the store, or opened
	 * from it)
	 */
	SubscriptionDocument withSecrets(String stored, String previousStored) {
		return new SubscriptionDocument(this.id, this.url, this.format, stored, previousStored,
				this.previousSecretExpiresAt, this.headers, this.filters, this.createdAt, this.disabledAt,
				this.disabledReason);
	}

	/**
	 * This subscription with what a user may change: not its id, secrets or state.
	 * @param url the URL
	 * @param format the format name
	 * @param headers its headers
	 * @param filters its filters
	 * @return the changed document
	 */
	public SubscriptionDocument withSettings(URI url, String format, Map<String, String> headers,
			SubscriptionFilters filters) {
		return new SubscriptionDocument(this.id, url, format, this.secret, this.previousSecret,
				this.previousSecretExpiresAt, headers, filters, this.createdAt, this.disabledAt, this.disabledReason);
	}

	/**
	 * This subscription with a new secret, the current one kept until the overlap ends.
	 * @param next the new secret
	 * @param overlapEnds when the current one stops being signed with
	 * @return the changed document
	 */
	public SubscriptionDocument rotated(WebhookSecret next, Instant overlapEnds) {
		return new SubscriptionDocument(this.id, this.url, this.format, next.value(), this.secret, overlapEnds,
				this.headers, this.filters, this.createdAt, this.disabledAt, this.disabledReason);
	}

	/**
	 * This subscription, disabled, or enabled again when {@code at} is null.
	 * @param at when; null to enable
	 * @param reason why
	 * @return the changed document
	 */
	public SubscriptionDocument withDisabled(Instant at, String reason) {
		return new SubscriptionDocument(this.id, this.url, this.format, this.secret, this.previousSecret,
				this.previousSecretExpiresAt, this.headers, this.filters, this.createdAt, at,
				(at != null) ? reason : null);
	}

}
