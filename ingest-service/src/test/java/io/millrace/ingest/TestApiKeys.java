package io.millrace.ingest;

import java.util.Map;

import io.millrace.model.security.ApiKeyHashes;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The API keys the ingest tests configure: {@link #WRITER} may send events,
 * {@link #READER} may not.
 */
final class TestApiKeys {

	static final String WRITER = "mr_test-writer-key";

	static final String READER = "mr_test-reader-key";

	/** The header that authenticates as {@link #WRITER}. */
	static final Map<String, String> WRITER_HEADER = Map.of("X-API-Key", WRITER);

	private TestApiKeys() {
	}

	/** Configures both keys, by their hashes as an operator would. */
	static void register(DynamicPropertyRegistry registry) {
		registry.add("millrace.security.api-keys[0].name", () -> "test-writer");
		registry.add("millrace.security.api-keys[0].hash", () -> ApiKeyHashes.sha256(WRITER));
		registry.add("millrace.security.api-keys[0].scopes", () -> "events:write");
		registry.add("millrace.security.api-keys[1].name", () -> "test-reader");
		registry.add("millrace.security.api-keys[1].hash", () -> ApiKeyHashes.sha256(READER));
		registry.add("millrace.security.api-keys[1].scopes", () -> "read");
	}

}
