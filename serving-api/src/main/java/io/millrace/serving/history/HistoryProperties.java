package io.millrace.serving.history;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.serving.history.*}: where history older than the hot store comes from.
 *
 * @param url lakehouse-service's API base URL (for example
 * {@code http://lakehouse:8085}); none (the default) keeps queries to the hot store
 * @param apiKey the API key (scope {@code read}) serving-api sends to it, if it needs one
 * @param timeout how long one history read may take before the query fails with
 * {@code 503}
 */
@Validated
@ConfigurationProperties("millrace.serving.history")
public record HistoryProperties(URI url, String apiKey, @NotNull @DefaultValue("10s") Duration timeout) {

	/**
	 * @return whether history is read from the lakehouse
	 */
	public boolean enabled() {
		return this.url != null && !this.url.toString().isBlank();
	}

}
