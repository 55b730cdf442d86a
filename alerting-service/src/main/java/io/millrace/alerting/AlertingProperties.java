package io.millrace.alerting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.millrace.alerting.catalog.SubscriptionFilters;
import io.millrace.alerting.lifecycle.Rule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import io.millrace.alerting.catalog.SecretSealing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The rules alerting-service starts with, where it delivers alerts and how.
 *
 * @param rules rules created at start when no rule with their id exists yet (the rules
 * API manages them from then on); see docs/alerting-rules.md for the fields
 * @param webhook the single webhook of earlier versions: when its URL is set, it is the
 * subscription {@code default} (format {@code millrace}, every alert)
 * @param subscriptions the webhook subscriptions
 * @param delivery how notifications are delivered and retried
 * @param checkpoint where and how often the evaluation state and the delivery outbox are
 * checkpointed
 * @param deliveryLog the delivery log each instance keeps from
 * {@code alerting-deliveries}
 * @param catalog how the rules, subscriptions and silences stored through the API are
 * read
 */
@Validated
@ConfigurationProperties("millrace.alerting")
public record AlertingProperties(List<Rule> rules, @Valid @NotNull @DefaultValue Webhook webhook,
		@Valid List<Subscription> subscriptions, @Valid @NotNull @DefaultValue Delivery delivery,
		@Valid @NotNull @DefaultValue Checkpoint checkpoint, @Valid @NotNull @DefaultValue DeliveryLog deliveryLog,
		@Valid @NotNull @DefaultValue Catalog catalog) {

	public AlertingProperties {
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		subscriptions = (subscriptions != null) ? List.copyOf(subscriptions) : List.of();
	}

	/**
	 * The webhook of earlier versions, kept as the {@code default} subscription.
	 *
	 * @param url where alerts are POSTed as JSON; none (the default) for no default
	 * subscription
	 * @param secret its signing secret ({@code whsec_…}); without one, a secret is made
	 * at start and deliveries cannot be verified by the receiver
	 */
	public record Webhook(URI url, String secret) {
	}

	/**
	 * One webhook subscription.
	 *
	 * @param id its name, unique; Alertmanager's {@code receiver}
	 * @param url where notifications are POSTed
	 * @param format {@code millrace} (the AlertEvent JSON), {@code cloudevents} or
	 * {@code alertmanager}
	 * @param secret the Standard Webhooks signing secret ({@code whsec_…} base64)
	 * @param headers headers of its own sent with every notification
	 * @param filters which alerts it receives; all when empty
	 */
	public record Subscription(@NotBlank String id, @NotNull URI url, @NotBlank @DefaultValue("millrace") String format,
			String secret, Map<String, String> headers, SubscriptionFilters filters) {

		public Subscription {
			headers = (headers != null) ? Map.copyOf(headers) : Map.of();
			filters = (filters != null) ? filters : SubscriptionFilters.none();
		}

	}

	/**
	 * Delivery of notifications from the outbox.
	 *
	 * @param retryDelays the wait after each failed attempt; one attempt more than delays
	 * in all
	 * @param jitter randomization of each delay, 0 to below 1
	 * @param threads delivery threads kept when idle; more start while more attempts are
	 * in flight (each subscription has at most one per input), so none waits for a thread
	 * @param connectTimeout per attempt, to connect
	 * @param responseTimeout per attempt, for the answer
	 * @param allowHttp whether plain http URLs may be delivered to (local use only)
	 * @param allowList CIDRs, addresses or host names that may be delivered to although
	 * internal
	 * @param externalUrl where people reach this installation (Alertmanager's
	 * {@code externalURL})
	 * @param source the CloudEvents {@code source}
	 * @param disableAfter how long a receiver may fail every attempt (since its last
	 * success) before its subscription is disabled
	 * @param trustBundle name of a Spring Boot SSL bundle whose trust store is trusted
	 * for https receivers in addition to the JVM's; empty: the JVM's only
	 */
	public record Delivery(@NotEmpty @DefaultValue( {
			"5s", "5m", "30m", "2h", "5h", "10h" }) List<Duration> retryDelays,
			@DecimalMin("0") @DecimalMax("0.99") @DefaultValue("0.2") double jitter,
			@Min(1) @DefaultValue("4") int threads, @NotNull @DefaultValue("5s") Duration connectTimeout,
			@NotNull @DefaultValue("10s") Duration responseTimeout, @DefaultValue("false") boolean allowHttp,
			@DefaultValue List<String> allowList, @NotNull @DefaultValue("http://localhost:8084") URI externalUrl,
			@NotNull @DefaultValue("/millrace/alerting") URI source, @NotNull @DefaultValue("3d") Duration disableAfter,
			@DefaultValue("") String trustBundle){

		public Delivery {
			allowList = (allowList != null) ? List.copyOf(allowList) : List.of();
		}

	}

	/**
	 * Checkpoints of the evaluation state and the outbox, with the consumed offsets.
	 *
	 * @param directory the local directory (or, with
	 * {@code millrace.storage.type=azure-blob}, the container's prefix)
	 * @param interval how often changed partitions are checkpointed
	 * @param deliveryTimeout how long a checkpoint waits for the previous one's alerts to
	 * be acknowledged by the broker
	 */
	public record Checkpoint(@NotNull @DefaultValue("data/checkpoints") Path directory,
			@NotNull @DefaultValue("1s") Duration interval, @NotNull @DefaultValue("30s") Duration deliveryTimeout) {
	}

	/**
	 * The delivery log.
	 *
	 * @param maxEntries deliveries (notification × subscription) kept in memory for the
	 * API; the oldest go first
	 */
	public record DeliveryLog(@Min(1) @DefaultValue("100000") int maxEntries) {
	}

	/**
	 * The catalog of rules, subscriptions and silences, kept in the same store as the
	 * checkpoints (under {@code alerting/catalog/}).
	 *
	 * @param refreshInterval how often each replica reads it again, so that a change made
	 * on another replica reaches this one's evaluation
	 * @param secretKeys keys that encrypt the subscriptions' signing secrets in the
	 * store, the one that seals first; none: stored as they are
	 */
	public record Catalog(@NotNull @DefaultValue("2s") Duration refreshInterval, List<SecretSealing.Key> secretKeys) {

		public Catalog {
			secretKeys = (secretKeys != null) ? List.copyOf(secretKeys) : List.of();
		}

	}

}
