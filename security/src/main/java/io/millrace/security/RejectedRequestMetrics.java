package io.millrace.security;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code millrace_api_requests_rejected_total{reason}}: requests the security layer
 * refused, in every service with an API. Both reasons are registered at zero at start, so
 * a rate alert has a series before the first refusal.
 */
final class RejectedRequestMetrics implements RejectedRequestListener {

	static final String NAME = "millrace.api.requests.rejected";

	private final Map<String, Counter> counters;

	RejectedRequestMetrics(MeterRegistry registry) {
		this.counters = Map.of(UNAUTHORIZED, counter(registry, UNAUTHORIZED), FORBIDDEN, counter(registry, FORBIDDEN));
	}

	@Override
	public void rejected(String reason) {
		Counter counter = this.counters.get(reason);
		if (counter != null) {
			counter.increment();
		}
	}

	private static Counter counter(MeterRegistry registry, String reason) {
		return Counter.builder(NAME)
			.description("API requests refused for their credentials: none or refused (unauthorized), "
					+ "or without the scope the path needs (forbidden)")
			.tag("reason", reason)
			.register(registry);
	}

}
