package io.millrace.security;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.millrace.model.audit.AuditEntry;
import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** How the audit trail names a caller: never by the key or the token. */
class CallersTests {

	final EntraRoles roles = new EntraRoles(ApiSecurityProperties.DEFAULT_ROLE_SCOPES);

	@Test
	void anApiKeyCallerIsTheKeysName() {
		ApiSecurityProperties.ApiKey key = new ApiSecurityProperties.ApiKey("ops-console",
				ApiKeyHashes.sha256("mr_secret-key"), Set.of(Scopes.ADMIN));
		assertThat(Callers.of(CallerAuthentication.of(key)))
			.isEqualTo(new AuditEntry.Actor("api-key", "ops-console", null));
	}

	@Test
	void anApplicationTokenIsItsClientAndADelegatedTokenNamesTheUserToo() {
		assertThat(Callers
			.of(this.roles.convert(TestJwts.jwt(Map.of("roles", List.of("Platform.Admin"), "azp", "app-1")))))
			.isEqualTo(new AuditEntry.Actor("entra-application", "app-1", null));
		assertThat(Callers.of(this.roles.convert(TestJwts.jwt(Map.of("scp", "Platform.Admin", "azp", "portal", "oid",
				"0000-oid", "preferred_username", "ops@example.com")))))
			.isEqualTo(new AuditEntry.Actor("entra-user", "portal", "ops@example.com"));
		assertThat(Callers
			.of(this.roles.convert(TestJwts.jwt(Map.of("scp", "Platform.Admin", "azp", "portal", "oid", "0000-oid")))))
			.isEqualTo(new AuditEntry.Actor("entra-user", "portal", "0000-oid"));
	}

	@Test
	void anythingElseIsNotACaller() {
		assertThatIllegalStateException().isThrownBy(() -> Callers.of(new TestingAuthenticationToken("x", "y")));
		assertThatIllegalStateException().isThrownBy(() -> Callers.of(null));
	}

}
