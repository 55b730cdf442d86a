package io.millrace.model.security;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyHashesTests {

	@Test
	void hashIsTheHexSha256OfTheKeyAsSha256sumPrintsIt() {
		// printf %s abc | sha256sum
		assertThat(ApiKeyHashes.sha256("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void generatedKeysArePrefixedUrlSafeAndDistinct() {
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String key = ApiKeyHashes.generate();
			assertThat(key).startsWith("mr_").hasSize(3 + 43).matches("mr_[A-Za-z0-9_-]+");
			keys.add(key);
		}
		assertThat(keys).hasSize(1000);
	}

}
