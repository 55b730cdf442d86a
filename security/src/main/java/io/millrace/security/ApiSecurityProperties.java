package io.millrace.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call a service's API, the same properties on every service. Entra ID tokens are
 * accepted when {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (and
 * {@code audiences}) are set; see docs/configuration.md, "Security (every API)".
 *
 * @param apiKeys the API keys, by their SHA-256 only (from configuration, environment
 * variables or a mounted Kubernetes secret)
 * @param roleScopes Entra ID app role value → Millrace scope (default
 * {@code Events.Write}, {@code Telemetry.Read}, {@code Platform.Admin}); a role that is
 * already a scope name maps to itself
 */
@Validated
@ConfigurationProperties("millrace.security")
public record ApiSecurityProperties(List<@Valid ApiKey> apiKeys, Map<String, String> roleScopes) {

	/** Entra ID app roles as an app registration would name them. */
	static final Map<String, String> DEFAULT_ROLE_SCOPES = Map.of("Events.Write", Scopes.EVENTS_WRITE, "Telemetry.Read",
			Scopes.READ, "Platform.Admin", Scopes.ADMIN);

	public ApiSecurityProperties {
		apiKeys = (apiKeys != null) ? List.copyOf(apiKeys) : List.of();
		roleScopes = (roleScopes != null) ? Map.copyOf(roleScopes) : DEFAULT_ROLE_SCOPES;
		roleScopes.forEach((role, scope) -> requireScope(scope, "millrace.security.role-scopes." + role));
		for (int i = 0; i < apiKeys.size(); i++) {
			for (String scope : apiKeys.get(i).scopes()) {
				requireScope(scope, "millrace.security.api-keys[" + i + "].scopes");
			}
		}
		long names = apiKeys.stream().map(ApiKey::name).distinct().count();
		if (names != apiKeys.size()) {
			throw new IllegalArgumentException("millrace.security.api-keys: every key needs its own name");
		}
	}

	private static void requireScope(String scope, String property) {
		if (!Scopes.ALL.contains(scope)) {
			throw new IllegalArgumentException(
					property + ": '" + scope + "' is not a scope; use one of " + Scopes.ALL.stream().sorted().toList());
		}
	}

	/**
	 * One API key.
	 *
	 * @param name who holds it: the client name in logs, metrics and rate limits
	 * @param hash the key's SHA-256 in hex ({@code printf %s "$KEY" | sha256sum})
	 * @param scopes what it may do
	 */
	public record ApiKey(@NotBlank String name, @NotNull String hash, @NotEmpty Set<String> scopes) {

		private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

		public ApiKey {
			// Checked here rather than with @Pattern: a validation error would print the
			// rejected value, which is the key itself when someone configures it by
			// mistake.
			if (hash != null && !SHA_256_HEX.matcher(hash).matches()) {
				throw new IllegalArgumentException("millrace.security.api-keys: the hash of '" + name
						+ "' must be the key's SHA-256 as 64 hex digits, never the key itself");
			}
		}

	}

}
