package io.millrace.storage.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.ObjectStoreContract;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StorageException;
import io.millrace.storage.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AzureBlobObjectStoreTests extends ObjectStoreContract {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	@Override
	protected ObjectStore store() {
		return AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), newContainerName(), null);
	}

	@Test
	void storesWithDifferentKeyPrefixesShareAContainerWithoutSeeingEachOther() {
		String container = newContainerName();
		ObjectStore alerting = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container,
				"alerting");
		ObjectStore processing = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container,
				"processing/");
		alerting.put("rules/r1", bytes("alerting"), Precondition.absent());
		processing.put("rules/r1", bytes("processing"), Precondition.absent());
		assertThat(alerting.get("rules/r1").orElseThrow().data()).isEqualTo(bytes("alerting"));
		assertThat(processing.get("rules/r1").orElseThrow().data()).isEqualTo(bytes("processing"));
		assertThat(alerting.list("")).containsExactly("rules/r1");
		processing.delete("rules/r1", Precondition.any());
		assertThat(processing.list("")).isEmpty();
		assertThat(alerting.list("rules/")).containsExactly("rules/r1");
		ObjectStore whole = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container, null);
		assertThat(whole.list("")).containsExactly("alerting/rules/r1");
	}

	@Test
	void theVersionIsTheBlobsETagAndAVersionFromAGetGuardsAPut() {
		String container = newContainerName();
		ObjectStore writer = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container, "docs");
		ObjectStore reader = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container, "docs");
		writer.put("subscription", bytes("v1"), Precondition.any());
		StoredObject read = reader.get("subscription").orElseThrow();
		assertThat(read.version())
			.isEqualTo(containerClient(container).getBlobClient("docs/subscription").getProperties().getETag());
		String written = reader.put("subscription", bytes("v2"), Precondition.matches(read.version()));
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> writer.put("subscription", bytes("lost"), Precondition.matches(read.version())));
		assertThat(writer.get("subscription").orElseThrow().version()).isEqualTo(written);
	}

	@Test
	void deletingWithTheAbsentPreconditionFailsWhileTheObjectExists() {
		ObjectStore store = store();
		store.delete("never-written", Precondition.absent());
		store.put("doc", bytes("x"), Precondition.any());
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> store.delete("doc", Precondition.absent()));
		assertThat(store.get("doc")).isPresent();
	}

	@Test
	void storesStartingTogetherCreateTheContainerOnce() throws Exception {
		String container = newContainerName();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Callable<ObjectStore>> starts = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				starts
					.add(() -> AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container, null));
			}
			for (Future<ObjectStore> started : pool.invokeAll(starts)) {
				assertThat(started.get().list("")).isEmpty();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void otherFailuresAreStorageExceptions() {
		String wrongKey = azurite.connectionString()
			.replace(AzuriteServer.ACCOUNT_KEY, "d3Jvbmcga2V5IGZvciB0aGUgZGV2ZWxvcG1lbnQgYWNjb3VudA==");
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> AzureBlobObjectStore.fromConnectionString(wrongKey, newContainerName(), null))
			.withMessageContaining("Cannot reach or create the container");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> AzureBlobObjectStore
			.fromConnectionString(azurite.connectionString(), newContainerName(), "../escape"));
	}

	private static BlobContainerClient containerClient(String container) {
		return new BlobServiceClientBuilder().connectionString(azurite.connectionString())
			.buildClient()
			.getBlobContainerClient(container);
	}

	/** A container per test keeps tests apart on the one Azurite of the run. */
	private static String newContainerName() {
		return "test-" + UUID.randomUUID();
	}

}
