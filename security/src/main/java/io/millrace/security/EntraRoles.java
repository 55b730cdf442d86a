package io.millrace.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a Microsoft Entra ID access token into Millrace scopes: the app roles of the
 * {@code roles} claim (how daemon clients are authorized) and the delegated scopes of the
 * {@code scp} claim, each through the configured mapping; anything unmapped grants
 * nothing. The caller's name is the client application ({@code azp}, or {@code appid} in
 * v1 tokens), so rate limits apply per application.
 */
final class EntraRoles implements Converter<Jwt, AbstractAuthenticationToken> {

	private final Map<String, String> roleScopes;

	EntraRoles(Map<String, String> roleScopes) {
		this.roleScopes = roleScopes;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		List<String> granted = new ArrayList<>();
		Collection<String> roles = jwt.hasClaim("roles") ? jwt.getClaimAsStringList("roles") : List.of();
		granted.addAll(roles);
		String delegated = jwt.getClaimAsString("scp");
		if (delegated != null && !delegated.isBlank()) {
			granted.addAll(List.of(delegated.trim().split("\\s+")));
		}
		for (String value : granted) {
			String scope = Scopes.ALL.contains(value) ? value : this.roleScopes.get(value);
			if (scope != null) {
				authorities.add(new SimpleGrantedAuthority(Scopes.authority(scope)));
			}
		}
		return new JwtAuthenticationToken(jwt, authorities, clientOf(jwt));
	}

	private static String clientOf(Jwt jwt) {
		for (String claim : List.of("azp", "appid", "sub")) {
			String value = jwt.getClaimAsString(claim);
			if (value != null) {
				return value;
			}
		}
		return "unknown";
	}

}
