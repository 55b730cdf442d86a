package io.millrace.security;

import java.util.Collection;
import java.util.Map;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated as a named caller with authorities: by an API key (the
 * principal is the key's name), or by a credential a service issued to such a caller
 * (serving-api's stream tickets). The name is what a service sees as the caller
 * ({@code Principal#getName()}), for example to rate-limit it; the credential itself is
 * never kept.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

	/** {@link #via()} of a request that sent an API key. */
	public static final String VIA_API_KEY = "api-key";

	private final String name;

	private final String via;

	/**
	 * @param name the caller's name
	 * @param authorities its Spring Security authorities ({@link Scopes#authority})
	 * @param via what authenticated it, for example {@link #VIA_API_KEY}
	 */
	public CallerAuthentication(String name, Collection<String> authorities, String via) {
		super(authorities.stream().map(SimpleGrantedAuthority::new).toList());
		this.name = name;
		this.via = via;
		setDetails(Map.of("via", via));
		setAuthenticated(true);
	}

	static CallerAuthentication of(ApiSecurityProperties.ApiKey key) {
		return new CallerAuthentication(key.name(), key.scopes().stream().map(Scopes::authority).toList(), VIA_API_KEY);
	}

	/**
	 * @return what authenticated the caller
	 */
	public String via() {
		return this.via;
	}

	@Override
	public Object getCredentials() {
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
