package io.millrace.serving.access;

import io.millrace.security.ApiAccessRules;
import io.millrace.security.Scopes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call serving-api: reading sensors and aggregates needs {@code read}; anything
 * that changes something (the sensor registry, when it comes) needs {@code admin}. The
 * security module does the rest; management endpoints stay open on their own port.
 */
@Configuration(proxyBeanMethods = false)
class ServingAccessConfiguration {

	@Bean
	ApiAccessRules servingAccessRules() {
		return ApiAccessRules.builder().reads(Scopes.READ, "/api/v1/**").writes(Scopes.ADMIN, "/api/v1/**").build();
	}

}
