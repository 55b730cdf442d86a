package io.millrace.security;

import io.millrace.model.audit.AuditEntry;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, as an audit trail names them: an API key by its name; an Entra ID token
 * by its client application and, for a user's delegated token ({@code scp}), the user
 * too. Never the key or the token itself.
 */
public final class Callers {

	private Callers() {
	}

	/**
	 * @return the caller of the current request
	 * @throws IllegalStateException outside an authenticated request
	 */
	public static AuditEntry.Actor current() {
		return of(SecurityContextHolder.getContext().getAuthentication());
	}

	static AuditEntry.Actor of(Authentication authentication) {
		if (authentication instanceof CallerAuthentication caller
				&& CallerAuthentication.VIA_API_KEY.equals(caller.via())) {
			return new AuditEntry.Actor(AuditEntry.Actor.API_KEY, caller.getName(), null);
		}
		if (authentication instanceof JwtAuthenticationToken token) {
			Jwt jwt = token.getToken();
			String delegated = jwt.getClaimAsString("scp");
			if (delegated != null && !delegated.isBlank()) {
				return new AuditEntry.Actor(AuditEntry.Actor.ENTRA_USER, token.getName(), userOf(jwt));
			}
			return new AuditEntry.Actor(AuditEntry.Actor.ENTRA_APPLICATION, token.getName(), null);
		}
		throw new IllegalStateException("No authenticated caller: " + authentication);
	}

	private static String userOf(Jwt jwt) {
		for (String claim : new String[] { "preferred_username", "upn", "oid", "sub" }) {
			String value = jwt.getClaimAsString(claim);
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return "unknown";
	}

}
