package io.millrace.security;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.millrace.model.security.ApiKeyHashes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: ApiKey <key>} or {@code X-API-Key: <key>} by the
 * key's SHA-256. A request without a key passes on (to the bearer-token filter, or to be
 * refused as anonymous); a request with an unknown key is refused here.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	static final String HEADER = "X-API-Key";

	static final String SCHEME = "ApiKey";

	private final Map<String, ApiSecurityProperties.ApiKey> keysByHash;

	private final SecurityProblems problems;

	ApiKeyAuthenticationFilter(ApiSecurityProperties properties, SecurityProblems problems) {
		this.keysByHash = properties.apiKeys()
			.stream()
			.collect(Collectors.toUnmodifiableMap((key) -> key.hash().toLowerCase(Locale.ROOT), Function.identity()));
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented != null) {
			// A map lookup by hash does not leak the key through timing: the attacker
			// controls the key, not the bits of its SHA-256.
			ApiSecurityProperties.ApiKey key = this.keysByHash.get(ApiKeyHashes.sha256(presented));
			if (key == null) {
				SecurityContextHolder.clearContext();
				this.problems.commence(request, response, new BadCredentialsException("Unknown API key"));
				return;
			}
			SecurityContextHolder.getContext().setAuthentication(CallerAuthentication.of(key));
		}
		chain.doFilter(request, response);
	}

	private static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader(HEADER);
		if (header != null && !header.isBlank()) {
			return header.trim();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
			return authorization.substring(SCHEME.length() + 1).trim();
		}
		return null;
	}

}
