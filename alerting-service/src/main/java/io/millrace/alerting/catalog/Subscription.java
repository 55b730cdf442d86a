package io.millrace.alerting.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.model.alert.AlertEvent;

/**
 * A webhook subscription as the pipeline delivers to it.
 *
 * @param id its id; Alertmanager's {@code receiver}
 * @param url where notifications are POSTed
 * @param format the payload format
 * @param secret the signing secret
 * @param previousSecret the secret before the last rotation, still signed with until
 * {@code previousSecretExpiresAt} so receivers can switch without losing a notification;
 * null when none
 * @param previousSecretExpiresAt when the previous secret stops being used
 * @param headers headers of its own sent with every notification
 * @param filters which alerts it receives
 * @param disabledAt when it was disabled (410 Gone, failing too long, or by a user); null
 * while it receives notifications
 * @param disabledReason why it was disabled
 */
public record Subscription(String id, URI url, PayloadFormat format, WebhookSecret secret, WebhookSecret previousSecret,
		Instant previousSecretExpiresAt, Map<String, String> headers, SubscriptionFilters filters, Instant disabledAt,
		String disabledReason) {

	public Subscription {
		headers = (headers != null) ? new TreeMap<>(headers) : new TreeMap<>();
		filters = (filters != null) ? filters : SubscriptionFilters.none();
	}

	/**
	 * An enabled subscription with one secret.
	 * @param id its id
	 * @param url where notifications go
	 * @param format the payload format
	 * @param secret the signing secret
	 * @param headers its own headers
	 * @param filters which alerts it receives
	 * @return the subscription
	 */
	public static Subscription of(String id, URI url, PayloadFormat format, WebhookSecret secret,
			Map<String, String> headers, SubscriptionFilters filters) {
		return new Subscription(id, url, format, secret, null, null, headers, filters, null, null);
	}

	/**
	 * This subscription, disabled.
	 * @param at when
	 * @param reason why
	 * @return the disabled subscription
	 */
	public Subscription disabled(Instant at, String reason) {
		return new Subscription(this.id, this.url, this.format, this.secret, this.previousSecret,
				this.previousSecretExpiresAt, this.headers, this.filters, at, reason);
	}

	/**
	 * @return whether notifications go to it
	 */
	public boolean enabled() {
		return this.disabledAt == null;
	}

	/**
	 * Whether an alert goes to it (enabled or not).
	 * @param alert the alert
	 * @return true when its filters pass the alert
	 */
	public boolean matches(AlertEvent alert) {
		return this.filters.matches(alert);
	}

	/**
	 * The secrets a notification sent now is signed with: the current one, and the
	 * previous one during the overlap after a rotation (Standard Webhooks lets
	 * {@code webhook-signature} carry several).
	 * @param now the time of the attempt
	 * @return the secrets, current first
	 */
	public List<WebhookSecret> signingSecrets(Instant now) {
		List<WebhookSecret> secrets = new ArrayList<>(2);
		secrets.add(this.secret);
		if (this.previousSecret != null && this.previousSecretExpiresAt != null
				&& now.isBefore(this.previousSecretExpiresAt)) {
			secrets.add(this.previousSecret);
		}
		return secrets;
	}

	/**
	 * The request of one attempt.
	 * @param notificationId the {@code webhook-id}, the same on every attempt
	 * @param body the payload in this subscription's format
	 * @param now the time of the attempt, for the secrets to sign with
	 * @return the request
	 * @throws IllegalArgumentException if a header of its own is reserved or malformed
	 */
	public WebhookRequest request(String notificationId, byte[] body, Instant now) {
		return new WebhookRequest(this.url, notificationId, body, this.format.contentType(), this.headers,
				signingSecrets(now));
	}

}
