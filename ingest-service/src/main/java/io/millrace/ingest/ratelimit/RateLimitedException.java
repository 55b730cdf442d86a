package io.millrace.ingest.ratelimit;

import java.time.Duration;

/** A client sent more events than its rate limit allows. */
public class RateLimitedException extends RuntimeException {

	private final Duration retryAfter;

	RateLimitedException(String client, RateLimitProperties.Limit limit, Duration retryAfter) {
		super("Client '" + client + "' is limited to " + limit.eventsPerSecond() + " events/s (burst "
				+ (long) limit.capacity() + "); retry in " + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
		this.retryAfter = retryAfter;
	}

	/**
	 * @return when the request would fit, rounded up to whole seconds, at least one
	 */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

}
