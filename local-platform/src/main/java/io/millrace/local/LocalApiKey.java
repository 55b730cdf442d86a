package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import io.millrace.model.security.ApiKeyHashes;

/**
 * The local run's API key: made on the first run, kept in {@code .millrace/api-key}
 * (readable by the owner only) so scripts and the README's curl can use it, and given to
 * every service with an API (ingest, serving, alerting) only as its hash, like a
 * deployment would. It holds {@code admin}, which implies every other scope: on a laptop
 * the person who runs the platform is its operator.
 */
public final class LocalApiKey {

	private LocalApiKey() {
	}

	/**
	 * @param file where the key lives
	 * @return the key in the file, or a new one written there
	 */
	public static String loadOrCreate(Path file) {
		try {
			if (Files.exists(file)) {
				String key = Files.readString(file, StandardCharsets.UTF_8).trim();
				if (!key.isEmpty()) {
					return key;
				}
			}
			Files.createDirectories(file.getParent());
			String key = ApiKeyHashes.generate();
			Files.writeString(file, key + System.lineSeparator(), StandardCharsets.UTF_8);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// Not a POSIX file system (Windows): the user's profile protects it.
			}
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read or create the API key in " + file, ex);
		}
	}

	/** The scopes of the local key. */
	public static final String SCOPES = "admin";

	/**
	 * @param key the key
	 * @return the properties that make a service accept it (by hash) with
	 * {@link #SCOPES}: the same for every service with an API
	 */
	public static Map<String, String> apiProperties(String key) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("millrace.security.api-keys[0].name", "local");
		properties.put("millrace.security.api-keys[0].hash", ApiKeyHashes.sha256(key));
		properties.put("millrace.security.api-keys[0].scopes", SCOPES);
		return properties;
	}

}
