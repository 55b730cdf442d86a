package io.millrace.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The local key: made once, kept owner-only, given to every API by hash only. */
class LocalApiKeyTests {

	@TempDir
	Path home;

	@Test
	void theKeyIsMadeOnceAndKeptForTheOwnerOnly() throws Exception {
		Path file = this.home.resolve(".millrace").resolve("api-key");
		String key = LocalApiKey.loadOrCreate(file);
		assertThat(key).startsWith("mr_");
		assertThat(LocalApiKey.loadOrCreate(file)).isEqualTo(key);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void everyApiGetsTheHashWithAdminAndNeverTheKey() {
		String key = ApiKeyHashes.generate();
		assertThat(LocalApiKey.apiProperties(key)).containsEntry("millrace.security.api-keys[0].name", "local")
			.containsEntry("millrace.security.api-keys[0].hash", ApiKeyHashes.sha256(key))
			.containsEntry("millrace.security.api-keys[0].scopes", "admin")
			.doesNotContainValue(key);
	}

}
