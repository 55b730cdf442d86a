package io.millrace.serving.access;

import io.millrace.security.ApiAccessRules;
import io.millrace.security.Scopes;

import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call serving-api: reading sensors, aggregates and alerts, and asking for a
 * stream ticket, need {@code read}; anything that changes something (the sensor registry)
 * needs {@code admin}. The security module does the rest; management endpoints stay open
 * on their own port.
 */
@Configuration(proxyBeanMethods = false)
class ServingAccessConfiguration {

	@Bean
	ApiAccessRules servingAccessRules() {
		return ApiAccessRules.builder()
			// A stream ticket only reads: it opens GET /api/v1/stream.
			.require(Scopes.READ, HttpMethod.POST, "/api/v1/stream/tickets")
			.reads(Scopes.READ, "/api/v1/**")
			.writes(Scopes.ADMIN, "/api/v1/**")
			.build();
	}

}
