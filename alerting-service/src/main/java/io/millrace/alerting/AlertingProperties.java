package io.millrace.alerting;

import java.net.URI;
import java.time.Duration;

import io.millrace.alerting.rules.AlertRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The rule alerting-service evaluates and where it delivers alerts.
 *
 * @param rule the threshold rule
 * @param webhook the webhook that receives every alert
 */
@Validated
@ConfigurationProperties("millrace.alerting")
public record AlertingProperties(@Valid @NotNull @DefaultValue AlertRule rule,
		@Valid @NotNull @DefaultValue Webhook webhook) {

	/**
	 * Webhook delivery.
	 *
	 * @param url where alerts are POSTed as JSON
	 * @param timeout per attempt
	 * @param maxAttempts attempts per alert before it is counted as failed
	 * @param initialBackoff wait after the first failed attempt; doubles on each retry
	 */
	public record Webhook(@NotNull @DefaultValue("http://127.0.0.1:8090/webhooks/alerts") URI url,
			@NotNull @DefaultValue("5s") Duration timeout, @Min(1) @DefaultValue("5") int maxAttempts,
			@NotNull @DefaultValue("1s") Duration initialBackoff) {
	}

}
