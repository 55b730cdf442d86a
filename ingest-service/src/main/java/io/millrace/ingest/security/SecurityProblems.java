package io.millrace.ingest.security;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.ingest.events.IngestMetrics;
import io.millrace.ingest.problems.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * {@code 401} and {@code 403} as problem details, like every other error of the API. The
 * detail says what was wrong with the credentials, never echoes them.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final ObjectMapper json;

	private final IngestMetrics metrics;

	private final String challenge;

	/**
	 * @param bearerTokens whether Entra ID bearer tokens are accepted too (then the
	 * challenge names both schemes)
	 */
	SecurityProblems(ObjectMapper json, IngestMetrics metrics, boolean bearerTokens) {
		this.json = json;
		this.metrics = metrics;
		this.challenge = "ApiKey realm=\"millrace\"" + (bearerTokens ? ", Bearer realm=\"millrace\"" : "");
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		this.metrics.rejected("unauthorized", 1);
		String detail;
		if (ex instanceof OAuth2AuthenticationException oauth) {
			detail = "The bearer token was refused: " + oauth.getError().getDescription();
		}
		else if (request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null
				|| request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			detail = "The credentials were refused: " + ex.getMessage();
		}
		else {
			detail = "Send an API key as 'Authorization: ApiKey <key>' or 'X-API-Key: <key>'"
					+ (this.challenge.contains("Bearer") ? ", or an Entra ID token as 'Authorization: Bearer <token>'"
							: "");
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, this.challenge);
		write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		this.metrics.rejected("forbidden", 1);
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		String held = (caller != null) ? caller.getAuthorities()
			.stream()
			.map((authority) -> authority.getAuthority().replaceFirst("^SCOPE_", ""))
			.sorted()
			.toList()
			.toString() : "[]";
		ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
				request.getMethod() + " " + request.getRequestURI() + " needs a scope the credentials of '"
						+ ((caller != null) ? caller.getName() : "anonymous") + "' do not hold (they hold " + held
						+ ")");
		write(response, problem);
	}

	private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
