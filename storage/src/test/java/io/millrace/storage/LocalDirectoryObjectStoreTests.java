package io.millrace.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDirectoryObjectStoreTests extends ObjectStoreContract {

	@TempDir
	Path root;

	@Override
	protected ObjectStore store() {
		return new LocalDirectoryObjectStore(this.root);
	}

	@Test
	void twoStoresOnOneDirectorySeeEachOthersWritesAndConditions() {
		ObjectStore first = store();
		ObjectStore second = new LocalDirectoryObjectStore(this.root);
		String version = first.put("shared", bytes("a"), Precondition.any());
		assertThat(second.get("shared").orElseThrow().version()).isEqualTo(version);
		second.put("shared", bytes("b"), Precondition.matches(version));
		assertThat(first.get("shared").orElseThrow().data()).isEqualTo(bytes("b"));
	}

	@Test
	void leavesNoTemporaryFilesBehindAndKeepsObjectsAsPlainFiles() throws Exception {
		ObjectStore store = store();
		store.put("checkpoints/p-0", bytes("state"), Precondition.any());
		store.put("checkpoints/p-0", bytes("state 2"), Precondition.any());
		try (var temporary = Files.list(this.root.resolve("tmp"))) {
			assertThat(temporary).isEmpty();
		}
		assertThat(Files.readString(this.root.resolve("objects/checkpoints/p-0"))).isEqualTo("state 2");
	}

}
