package io.millrace.security;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * {@code 401} and {@code 403} as problem details, like every other error of the APIs,
 * with the stable types {@code https://millrace.io/problems/unauthorized} and
 * {@code .../forbidden}. The detail says what was wrong with the credentials and which
 * scope the path needs, and never echoes the credentials.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final String TYPE_BASE = "https://millrace.io/problems/";

	private final ObjectMapper json;

	private final List<RejectedRequestListener> listeners;

	private final ApiAccessRules rules;

	private final boolean bearerTokens;

	private final RequestMatcher management;

	/**
	 * @param json writes the problems
	 * @param listeners told of every refusal (metrics)
	 * @param rules what each path needs, to say so in a {@code 403}
	 * @param bearerTokens whether Entra ID bearer tokens are accepted too (then the
	 * challenge names both schemes)
	 * @param management the management endpoints' requests: their refusals are counted in
	 * the shared counter only, not by the service's own listeners (they are no requests
	 * of its API)
	 */
	SecurityProblems(ObjectMapper json, List<RejectedRequestListener> listeners, ApiAccessRules rules,
			boolean bearerTokens, RequestMatcher management) {
		this.json = json;
		this.listeners = List.copyOf(listeners);
		this.rules = rules;
		this.bearerTokens = bearerTokens;
		this.management = management;
	}

	private void rejected(HttpServletRequest request, String reason) {
		boolean managementRequest = this.management.matches(request);
		for (RejectedRequestListener listener : this.listeners) {
			if (!managementRequest || listener instanceof RejectedRequestMetrics) {
				listener.rejected(reason);
			}
		}
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		rejected(request, RejectedRequestListener.UNAUTHORIZED);
		String challenge = "ApiKey realm=\"millrace\"";
		if (this.bearerTokens) {
			// RFC 6750: a refused token gets error="invalid_token" in its challenge.
			challenge += ", Bearer realm=\"millrace\""
					+ ((ex instanceof OAuth2AuthenticationException) ? ", error=\"invalid_token\"" : "");
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
		write(request, response,
				problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", unauthorizedDetail(request, ex)));
	}

	private String unauthorizedDetail(HttpServletRequest request, AuthenticationException ex) {
		String howTo = "Send an API key as 'Authorization: ApiKey <key>' or 'X-API-Key: <key>'"
				+ (this.bearerTokens ? ", or an Entra ID token as 'Authorization: Bearer <token>'" : "");
		if (ex instanceof OAuth2AuthenticationException oauth) {
			return "The bearer token was refused: " + oauth.getError().getDescription();
		}
		if (request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null) {
			return "The credentials were refused: " + ex.getMessage();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			// Name the scheme only: what follows it is the credential.
			String scheme = authorization.trim().split("\\s+", 2)[0];
			if (scheme.toLowerCase(Locale.ROOT).equals(ApiKeyAuthenticationFilter.SCHEME.toLowerCase(Locale.ROOT))) {
				return "The credentials were refused: " + ex.getMessage();
			}
			if (scheme.equalsIgnoreCase("Bearer")) {
				return "This API is not configured for bearer tokens. " + howTo;
			}
			return "The 'Authorization' scheme is not accepted here. " + howTo;
		}
		return howTo;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		rejected(request, RejectedRequestListener.FORBIDDEN);
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		List<String> held = (caller != null) ? caller.getAuthorities()
			.stream()
			.map((authority) -> Scopes.scopeOf(authority.getAuthority()))
			.sorted()
			.toList() : List.of();
		String needed = this.rules.requiredScope(request)
			.map((scope) -> "the scope '" + scope + "'" + (scope.equals(Scopes.ADMIN) ? "" : " (or 'admin')"))
			.orElse("a scope");
		String detail = request.getMethod() + " " + request.getRequestURI() + " needs " + needed
				+ "; the credentials of '" + ((caller != null) ? caller.getName() : "anonymous") + "' hold " + held;
		write(request, response, problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail));
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		try {
			problem.setInstance(URI.create(request.getRequestURI()));
		}
		catch (IllegalArgumentException ex) {
			// A path the server accepted but URI does not: the problem goes without it.
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
