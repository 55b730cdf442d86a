package io.millrace.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which scope each path of a service's API needs. A service declares its rules as a bean;
 * the security auto-configuration puts the management endpoints' rules (health and
 * Prometheus open, every other endpoint {@code admin}) and the open paths every service
 * shares (JSON Schemas, OpenAPI document, Swagger UI, error page) first, then the
 * service's rules in order, first match wins. A request no rule matches needs valid
 * credentials of any scope (it then gets the API's own answer, usually {@code 404}).
 * {@code admin} satisfies every rule.
 *
 * <pre class="code">
 * ApiAccessRules.builder()
 *     .reads(Scopes.READ, "/api/v1/**")      // GET, HEAD
 *     .writes(Scopes.ADMIN, "/api/v1/**")    // POST, PUT, PATCH, DELETE
 *     .build();
 * </pre>
 */
public final class ApiAccessRules {

	/** The methods that only read. */
	static final List<HttpMethod> READ_METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD);

	/** The methods that change something. */
	static final List<HttpMethod> WRITE_METHODS = List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
			HttpMethod.DELETE);

	private final List<Rule> rules;

	private ApiAccessRules(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	/**
	 * @return a builder with no rules
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * @param rules rules in the order they apply
	 * @return those rules
	 */
	static ApiAccessRules of(List<Rule> rules) {
		return new ApiAccessRules(rules);
	}

	/**
	 * @param parts rules in the order they apply
	 * @return one set of rules: each part's, in order
	 */
	static ApiAccessRules concat(List<ApiAccessRules> parts) {
		List<Rule> all = new ArrayList<>();
		parts.forEach((part) -> all.addAll(part.rules));
		return new ApiAccessRules(all);
	}

	List<Rule> rules() {
		return this.rules;
	}

	/**
	 * @param request a request
	 * @return the scope the first matching rule asks for; empty when the path is open or
	 * no rule matches
	 */
	Optional<String> requiredScope(HttpServletRequest request) {
		for (Rule rule : this.rules) {
			if (rule.matcher().matches(request)) {
				return Optional.ofNullable(rule.scope());
			}
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return this.rules.toString();
	}

	/**
	 * One rule.
	 *
	 * @param matcher the requests it applies to
	 * @param description the method and pattern, for messages
	 * @param scope the scope the requests need, {@code null} for none (open)
	 */
	record Rule(RequestMatcher matcher, String description, String scope) {

		@Override
		public String toString() {
			return this.description + " -> " + ((this.scope != null) ? this.scope : "open");
		}

	}

	/** Collects rules in the order they apply. */
	public static final class Builder {

		private static final PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();

		private final List<Rule> rules = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Paths anyone may call, with or without credentials.
		 * @param method the method, {@code null} for any
		 * @param patterns path patterns ({@code /api/v1/schemas/**})
		 * @return this builder
		 */
		public Builder open(HttpMethod method, String... patterns) {
			return add(null, method, patterns);
		}

		/**
		 * Paths that need a scope.
		 * @param scope one of {@link Scopes}
		 * @param method the method, {@code null} for any
		 * @param patterns path patterns
		 * @return this builder
		 */
		public Builder require(String scope, HttpMethod method, String... patterns) {
			if (!Scopes.ALL.contains(scope)) {
				throw new IllegalArgumentException("'" + scope + "' is not a scope; use one of " + Scopes.ALL);
			}
			return add(scope, method, patterns);
		}

		/**
		 * {@code GET} and {@code HEAD} of paths need a scope.
		 * @param scope one of {@link Scopes}
		 * @param patterns path patterns
		 * @return this builder
		 */
		public Builder reads(String scope, String... patterns) {
			READ_METHODS.forEach((method) -> require(scope, method, patterns));
			return this;
		}

		/**
		 * {@code POST}, {@code PUT}, {@code PATCH} and {@code DELETE} of paths need a
		 * scope.
		 * @param scope one of {@link Scopes}
		 * @param patterns path patterns
		 * @return this builder
		 */
		public Builder writes(String scope, String... patterns) {
			WRITE_METHODS.forEach((method) -> require(scope, method, patterns));
			return this;
		}

		/**
		 * @return the rules, in the order they were added
		 */
		public ApiAccessRules build() {
			return new ApiAccessRules(this.rules);
		}

		private Builder add(String scope, HttpMethod method, String... patterns) {
			if (patterns.length == 0) {
				throw new IllegalArgumentException("A rule needs at least one path pattern");
			}
			for (String pattern : patterns) {
				if (!pattern.startsWith("/")) {
					throw new IllegalArgumentException("Path pattern '" + pattern + "' must start with '/'");
				}
				this.rules.add(new Rule(paths.matcher(method, pattern),
						((method != null) ? method.name() : "*") + " " + pattern, scope));
			}
			return this;
		}

	}

}
