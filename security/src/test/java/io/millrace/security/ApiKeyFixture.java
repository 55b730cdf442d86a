package io.millrace.security;

import io.millrace.model.security.ApiKeyHashes;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Configures API keys in a test the way an operator does: by name, hash and scopes. */
public final class ApiKeyFixture {

	private ApiKeyFixture() {
	}

	/**
	 * @param registry the test's dynamic properties
	 * @param index the key's position in {@code millrace.security.api-keys}
	 * @param name who holds it
	 * @param key the key as clients send it; only its SHA-256 is configured
	 * @param scopes comma-separated scopes
	 */
	public static void register(DynamicPropertyRegistry registry, int index, String name, String key, String scopes) {
		String prefix = "millrace.security.api-keys[" + index + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "hash", () -> ApiKeyHashes.sha256(key));
		registry.add(prefix + "scopes", () -> scopes);
	}

}
