package io.millrace.security;

import java.util.Set;

/**
 * The scopes a credential can hold, the same on every service. {@code admin} implies the
 * others. Which scope a path needs is each service's {@link ApiAccessRules}.
 */
public final class Scopes {

	/** Send events (ingest). */
	public static final String EVENTS_WRITE = "events:write";

	/** Read aggregates, sensors, alerts and rules (serving, alerting). */
	public static final String READ = "read";

	/** Change rules, subscriptions and silences; implies every other scope. */
	public static final String ADMIN = "admin";

	/** Every scope there is. */
	public static final Set<String> ALL = Set.of(EVENTS_WRITE, READ, ADMIN);

	private Scopes() {
	}

	/**
	 * @param scope a scope
	 * @return its Spring Security authority, as OAuth2 resource servers name them
	 */
	public static String authority(String scope) {
		return "SCOPE_" + scope;
	}

	/**
	 * @param authority a Spring Security authority
	 * @return the scope it stands for, or the authority itself if it is no scope
	 */
	static String scopeOf(String authority) {
		return authority.startsWith("SCOPE_") ? authority.substring("SCOPE_".length()) : authority;
	}

}
