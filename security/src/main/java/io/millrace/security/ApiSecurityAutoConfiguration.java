package io.millrace.security;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The security of a service's API port, the same in every service: API keys by hash
 * ({@code millrace.security.api-keys}), Microsoft Entra ID bearer tokens when an issuer
 * is configured, {@code 401}/{@code 403} as problem details. Closed by default: with no
 * key and no issuer configured every API request gets {@code 401}.
 * <p>
 * Open to all: what probes and scrapers need of the management endpoints (health and its
 * groups, the Prometheus scrape) and the published contracts (JSON Schemas, OpenAPI
 * document, Swagger UI), which hold no data. Every other management endpoint
 * ({@code bindings}, which can stop a consumer, {@code streamingprogress}, {@code info},
 * the links page) needs {@code admin}, with the same credentials and problem details as
 * the API, on the management port too: a separate management port's child context runs
 * this same filter chain, and {@link EndpointRequest} matches its requests. The service's
 * {@link ApiAccessRules} beans say which scope each of its paths needs; anything else
 * needs valid credentials. No sessions, no cookies, so no CSRF.
 * <p>
 * Ordered before Spring Boot's security auto-configurations so that theirs (a form login
 * with a generated password, a bearer-only chain) back off when this chain exists.
 */
@AutoConfiguration(before = { SecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
		OAuth2ResourceServerAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ApiSecurityProperties.class)
public class ApiSecurityAutoConfiguration {

	/** The management endpoints anyone may call: what probes and scrapers need. */
	static final List<String> OPEN_ENDPOINTS = List.of("health", "prometheus");

	/** What every service leaves open on its API port. */
	static final ApiAccessRules SHARED_OPEN_PATHS = ApiAccessRules.builder()
		.open(HttpMethod.GET, "/api/v1/schemas/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
		.open(HttpMethod.HEAD, "/api/v1/schemas/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
		.open(null, "/error")
		.build();

	/**
	 * What every service's management port answers: health (the probes' liveness and
	 * readiness groups and {@code /actuator/health}) and the Prometheus scrape to anyone;
	 * every other endpoint ({@code bindings} with its state changes,
	 * {@code streamingprogress}, {@code info}, the links page) only to {@code admin}.
	 * {@link EndpointRequest} matches the management endpoints whether they share the
	 * API's port or have their own (then only requests on the management port). New
	 * matchers for each context: a matcher keeps the context it first sees.
	 * @return the rules
	 */
	static ApiAccessRules managementRules() {
		return ApiAccessRules.of(List.of(
				new ApiAccessRules.Rule(EndpointRequest.to(OPEN_ENDPOINTS.toArray(String[]::new)),
						"management " + OPEN_ENDPOINTS, null),
				new ApiAccessRules.Rule(EndpointRequest.toAnyEndpoint(), "management: every other endpoint",
						Scopes.ADMIN)));
	}

	@Bean
	RejectedRequestMetrics millraceApiRejectedRequests(ObjectProvider<MeterRegistry> registry) {
		return new RejectedRequestMetrics(registry.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean
	SecurityFilterChain millraceApiSecurity(HttpSecurity http, ApiSecurityProperties properties, ObjectMapper json,
			ObjectProvider<ApiAccessRules> serviceRules, ObjectProvider<RejectedRequestListener> listeners,
			ObjectProvider<JwtDecoder> entraTokens) throws Exception {
		boolean bearerTokens = entraTokens.getIfAvailable() != null;
		List<ApiAccessRules> parts = new ArrayList<>();
		parts.add(managementRules());
		parts.add(SHARED_OPEN_PATHS);
		serviceRules.orderedStream().forEach(parts::add);
		ApiAccessRules rules = ApiAccessRules.concat(parts);
		SecurityProblems problems = new SecurityProblems(json, listeners.orderedStream().toList(), rules, bearerTokens,
				EndpointRequest.toAnyEndpoint());
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests((requests) -> {
				for (ApiAccessRules.Rule rule : rules.rules()) {
					if (rule.scope() == null) {
						requests.requestMatchers(rule.matcher()).permitAll();
					}
					else if (rule.scope().equals(Scopes.ADMIN)) {
						requests.requestMatchers(rule.matcher()).hasAuthority(Scopes.authority(Scopes.ADMIN));
					}
					else {
						// admin implies every other scope.
						requests.requestMatchers(rule.matcher())
							.hasAnyAuthority(Scopes.authority(rule.scope()), Scopes.authority(Scopes.ADMIN));
					}
				}
				requests.anyRequest().authenticated();
			})
			.addFilterBefore(new ApiKeyAuthenticationFilter(properties, problems), AnonymousAuthenticationFilter.class)
			.exceptionHandling((errors) -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		if (bearerTokens) {
			http.oauth2ResourceServer((server) -> server
				.jwt((jwt) -> jwt.jwtAuthenticationConverter(new EntraRoles(properties.roleScopes())))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems));
		}
		return http.build();
	}

}
