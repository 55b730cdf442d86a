package io.millrace.alerting.access;

import io.millrace.security.ApiAccessRules;
import io.millrace.security.Scopes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may call alerting-service: listing rules and alerts needs {@code read}; changing
 * rules, subscriptions and silences, and reading the audit trail, needs {@code admin}.
 * The security module does the rest; management endpoints stay open on their own port.
 */
@Configuration(proxyBeanMethods = false)
class AlertingAccessConfiguration {

	@Bean
	ApiAccessRules alertingAccessRules() {
		return ApiAccessRules.builder()
			.require(Scopes.ADMIN, null, "/api/v1/audit", "/api/v1/audit/**")
			.reads(Scopes.READ, "/api/v1/**")
			.writes(Scopes.ADMIN, "/api/v1/**")
			.build();
	}

}
