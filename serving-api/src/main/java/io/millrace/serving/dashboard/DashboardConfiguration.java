package io.millrace.serving.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.millrace.security.ApiAccessRules;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The live dashboard at {@code /}: static files (static/index.html, static/dashboard/)
 * and the charting library's WebJar (/webjars/uplot/). They hold no data, so anyone may
 * load them; the page asks for an API key and sends it with every call to
 * {@code /api/v1/**}, which stays protected.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

	/** The page and what it loads. */
	static final String[] ASSETS = { "/", "/index.html", "/dashboard/**", "/webjars/**", "/favicon.ico",
			"/favicon.svg" };

	/**
	 * Scripts, styles, images and connections only from this origin; no framing. Inline
	 * styles are allowed because the charting library positions its cursor and legend
	 * with them.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
			+ "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	@Bean
	ApiAccessRules dashboardAccessRules() {
		return ApiAccessRules.builder().open(HttpMethod.GET, ASSETS).open(HttpMethod.HEAD, ASSETS).build();
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> dashboardContentSecurityPolicy() {
		OncePerRequestFilter filter = new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
				// The key may sit in the page's fragment (/#key=…): browsers never send
				// fragments, and no referrer leaves the page either.
				response.setHeader("Referrer-Policy", "no-referrer");
				chain.doFilter(request, response);
			}

		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/", "/index.html");
		registration.setName("dashboardContentSecurityPolicy");
		return registration;
	}

}
