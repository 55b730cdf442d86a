package io.millrace.ingest.security;

import java.util.Set;

/**
 * The scopes a credential can hold. {@code admin} implies the others.
 */
public final class Scopes {

	public static final String EVENTS_WRITE = "events:write";

	public static final String READ = "read";

	public static final String ADMIN = "admin";

	static final Set<String> ALL = Set.of(EVENTS_WRITE, READ, ADMIN);

	private Scopes() {
	}

	/** The Spring Security authority of a scope, as OAuth2 resource servers name them. */
	public static String authority(String scope) {
		return "SCOPE_" + scope;
	}

}
