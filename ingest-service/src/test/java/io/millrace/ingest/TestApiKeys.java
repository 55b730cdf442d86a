package io.millrace.ingest;

import java.util.Map;

import io.millrace.security.ApiKeyFixture;

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
		ApiKeyFixture.register(registry, 0, "test-writer", WRITER, "events:write");
		ApiKeyFixture.register(registry, 1, "test-reader", READER, "read");
	}

}
