package io.millrace.ingest.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client, created on its first request. The set of clients is
 * bounded by the configured API keys and the Entra ID applications allowed to call.
 */
public final class ClientRateLimits {

	private final RateLimitProperties properties;

	private final LongSupplier nanoTime;

	private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

	public ClientRateLimits(RateLimitProperties properties) {
		this(properties, System::nanoTime);
	}

	ClientRateLimits(RateLimitProperties properties, LongSupplier nanoTime) {
		this.properties = properties;
		this.nanoTime = nanoTime;
	}

	/**
	 * Take {@code events} tokens from the client's bucket.
	 * @param client the client's name
	 * @param events how many events the request carries
	 * @throws RateLimitedException when the client is over its rate
	 */
	public void acquire(String client, int events) {
		RateLimitProperties.Limit limit = this.properties.limitOf(client);
		if (limit.unlimited()) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		TokenBucket bucket = this.buckets.computeIfAbsent(client,
				(name) -> new TokenBucket(limit.eventsPerSecond(), limit.capacity(), now));
		long wait = bucket.tryTake(events, now);
		if (wait > 0) {
			throw new RateLimitedException(client, limit, Duration.ofNanos(wait));
		}
	}

}
