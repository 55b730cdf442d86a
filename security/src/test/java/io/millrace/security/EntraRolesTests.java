package io.millrace.security;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;

/** What an Entra ID token grants: mapped app roles and delegated scopes, nothing else. */
class EntraRolesTests {

	final EntraRoles roles = new EntraRoles(ApiSecurityProperties.DEFAULT_ROLE_SCOPES);

	@Test
	void appRolesAreMappedToScopesAndUnknownRolesGrantNothing() {
		AbstractAuthenticationToken caller = this.roles
			.convert(TestJwts.jwt(Map.of("roles", List.of("Telemetry.Read", "Directory.ReadAll"), "azp", "app-1")));
		assertThat(scopes(caller)).containsExactly("SCOPE_read");
		assertThat(caller.getName()).isEqualTo("app-1");
	}

	@Test
	void delegatedScopesAreMappedTooAndAScopeNameMapsToItself() {
		AbstractAuthenticationToken caller = this.roles
			.convert(TestJwts.jwt(Map.of("scp", "User.Read Platform.Admin events:write", "azp", "app-2")));
		assertThat(scopes(caller)).containsExactlyInAnyOrder("SCOPE_admin", "SCOPE_events:write");
	}

	@Test
	void theCallerIsTheClientApplicationInV1AndV2Tokens() {
		assertThat(this.roles.convert(TestJwts.jwt(Map.of("appid", "v1-app", "sub", "principal"))).getName())
			.isEqualTo("v1-app");
		assertThat(this.roles.convert(TestJwts.jwt(Map.of("sub", "principal"))).getName()).isEqualTo("principal");
	}

	@Test
	void aCustomMappingReplacesTheDefaults() {
		EntraRoles custom = new EntraRoles(Map.of("Millrace.Reader", Scopes.READ));
		assertThat(scopes(custom.convert(TestJwts.jwt(Map.of("roles", List.of("Millrace.Reader", "Telemetry.Read"))))))
			.containsExactly("SCOPE_read");
		assertThat(scopes(custom.convert(TestJwts.jwt(Map.of("roles", List.of("Telemetry.Read")))))).isEmpty();
	}

	private static List<String> scopes(AbstractAuthenticationToken caller) {
		return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
	}

}
