package io.millrace.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by an API key; the principal is the key's name, which is what a
 * service sees as the caller ({@code Principal#getName()}), for example to rate-limit it.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final String name;

	ApiKeyAuthentication(ApiSecurityProperties.ApiKey key) {
		super(key.scopes().stream().map(Scopes::authority).map(SimpleGrantedAuthority::new).toList());
		this.name = key.name();
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		// The key itself is not kept: nothing downstream needs it.
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.name;
	}

	@Override
	public String getName() {
		return this.name;
	}

}
