package io.millrace.ingest.ratelimit;

import java.time.Duration;

/** A client sent more events than its rate limit allows. */
public class RateLimitedException extends RuntimeException {

	private final long retryAfterSeconds;

	RateLimitedException(String client, RateLimitProperties.Limit limit, Duration retryAfter) {
		this(client, limit, Math.max(1, (retryAfter.toMillis() + 999) / 1000));
	}

	private RateLimitedException(String client, RateLimitProperties.Limit limit, long retryAfterSeconds) {
		super("Client '" + client + "' is limited to " + limit.eventsPerSecond() + " events/s (burst "
				+ (long) limit.capacity() + "); retry in " + retryAfterSeconds + " s");
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/**
	 * @return when the request would fit, rounded up to whole seconds, at least one
	 */
	public long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
