package io.millrace.model.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How Millrace API keys are made and stored. A key is 32 random bytes (base64url, with an
 * {@code mr_} prefix so a leaked key is recognisable in a scan); services keep only its
 * SHA-256, in hex. A fast hash is right here, unlike for passwords: a key has 256 bits of
 * entropy, so there is nothing to brute-force, and it is checked on every request.
 * Operators hash a key with {@code printf %s "$KEY" | sha256sum}.
 */
public final class ApiKeyHashes {

	private static final SecureRandom random = new SecureRandom();

	private ApiKeyHashes() {
	}

	/**
	 * @return a new random key
	 */
	public static String generate() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return "mr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * @param key a key as the client sends it
	 * @return its SHA-256 in lower-case hex, as configured
	 */
	public static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
