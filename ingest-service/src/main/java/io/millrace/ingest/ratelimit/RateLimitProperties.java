package io.millrace.ingest.ratelimit;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client event rate limits (token buckets), per instance. A client is an API key's
 * name or an Entra ID client application.
 *
 * @param eventsPerSecond every client's sustained rate; {@code 0} means no limit
 * @param burst every client's bucket size in events; {@code 0} means one second's worth
 * @param clients limits for named clients, instead of the above
 */
@Validated
@ConfigurationProperties("millrace.ingest.rate-limit")
public record RateLimitProperties(@PositiveOrZero @DefaultValue("0") double eventsPerSecond,
		@PositiveOrZero @DefaultValue("0") long burst, @NotNull @DefaultValue Map<String, @Valid Limit> clients) {

	/** The limit of a client. */
	Limit limitOf(String client) {
		return this.clients.getOrDefault(client, new Limit(this.eventsPerSecond, this.burst));
	}

	/**
	 * @param eventsPerSecond sustained rate; {@code 0} means no limit
	 * @param burst bucket size in events; {@code 0} means one second's worth
	 */
	public record Limit(@PositiveOrZero double eventsPerSecond, @PositiveOrZero long burst) {

		boolean unlimited() {
			return this.eventsPerSecond <= 0;
		}

		double capacity() {
			return (this.burst > 0) ? this.burst : Math.max(1, this.eventsPerSecond);
		}

	}

}
