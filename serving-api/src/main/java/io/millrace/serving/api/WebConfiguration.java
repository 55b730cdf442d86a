package io.millrace.serving.api;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import io.millrace.serving.aggregates.ServingProperties;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * What every read of the query API gets: an {@code ETag} (a hash of the body) and a
 * {@code 304 Not Modified} for a matching {@code If-None-Match}; CORS for the configured
 * origins. The security module picks the CORS source up, so a browser's preflight is
 * answered before credentials are asked for.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	static final String STREAM_PATH = "/api/v1/stream";

	@Bean
	FilterRegistrationBean<ShallowEtagHeaderFilter> apiETags() {
		ShallowEtagHeaderFilter filter = new ShallowEtagHeaderFilter() {

			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				// A stream is never complete: nothing to hash, and it must not be
				// buffered.
				return request.getRequestURI().startsWith(STREAM_PATH);
			}

		};
		FilterRegistrationBean<ShallowEtagHeaderFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/api/v1/*");
		registration.setName("apiETags");
		return registration;
	}

	@Bean
	UrlBasedCorsConfigurationSource corsConfigurationSource(ServingProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		List<String> origins = properties.cors().allowedOrigins().stream().filter((o) -> !o.isBlank()).toList();
		if (!origins.isEmpty()) {
			CorsConfiguration cors = new CorsConfiguration();
			cors.setAllowedOriginPatterns(origins);
			cors.setAllowedMethods(List.of("GET", "HEAD"));
			cors.setAllowedHeaders(List.of("Authorization", "X-API-Key", "If-None-Match", "Last-Event-ID"));
			cors.setExposedHeaders(List.of("ETag"));
			cors.setMaxAge(properties.cors().maxAge());
			// A browser on another origin asks for a stream ticket with its credentials,
			// then
			// opens the stream with it (the first matching pattern applies).
			CorsConfiguration tickets = new CorsConfiguration(cors);
			tickets.setAllowedMethods(List.of("POST"));
			source.registerCorsConfiguration("/api/v1/stream/tickets", tickets);
			source.registerCorsConfiguration("/api/v1/**", cors);
		}
		return source;
	}

}
