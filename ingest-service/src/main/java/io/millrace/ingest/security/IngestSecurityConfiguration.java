package io.millrace.ingest.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.ingest.events.IngestMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The API needs credentials: {@code POST /api/v1/events} needs {@code events:write} (or
 * {@code admin}). Open to all: the management endpoints (health for probes, metrics for
 * scrapers; the management port is not exposed outside the cluster), and the published
 * contracts (JSON Schemas, OpenAPI document, Swagger UI), which hold no data. No
 * sessions, no cookies, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiSecurityProperties.class)
class IngestSecurityConfiguration {

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiSecurityProperties properties, IngestMetrics metrics,
			ObjectMapper json, ObjectProvider<JwtDecoder> entraTokens) throws Exception {
		boolean bearerTokens = entraTokens.getIfAvailable() != null;
		SecurityProblems problems = new SecurityProblems(json, metrics, bearerTokens);
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.toAnyEndpoint())
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/api/v1/schemas/**", "/v3/api-docs/**", "/swagger-ui/**",
						"/swagger-ui.html")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/api/v1/events")
				.hasAnyAuthority(Scopes.authority(Scopes.EVENTS_WRITE), Scopes.authority(Scopes.ADMIN))
				.anyRequest()
				.authenticated())
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
