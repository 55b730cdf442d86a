package io.millrace.ingest.events;

import io.millrace.security.ApiAccessRules;
import io.millrace.security.RejectedRequestListener;
import io.millrace.security.Scopes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may send events: {@code POST /api/v1/events} needs {@code events:write} (or
 * {@code admin}). The security module does the rest (API keys, Entra ID tokens,
 * {@code 401}/{@code 403}); the caller's name it sets is what rate limits are kept by.
 */
@Configuration(proxyBeanMethods = false)
class EventsAccessConfiguration {

	@Bean
	ApiAccessRules eventsAccessRules() {
		return ApiAccessRules.builder().require(Scopes.EVENTS_WRITE, HttpMethod.POST, "/api/v1/events").build();
	}

	/**
	 * {@code millrace_ingest_requests_rejected_total} counts every request ingest
	 * refuses, so refused credentials too (they are also in the shared
	 * {@code millrace_api_requests_rejected_total}).
	 */
	@Bean
	RejectedRequestListener ingestRejectedRequests(IngestMetrics metrics) {
		return (reason) -> metrics.rejected(reason, 1);
	}

}
