package io.millrace.transport.storage;

import java.nio.file.Path;
import java.time.Duration;

import io.millrace.storage.LocalDirectoryObjectStore;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.azure.AzureBlobObjectStore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where a service keeps its runtime state (checkpoints, documents): a local directory
 * (the default, so a laptop needs nothing) or an Azure Blob Storage container. See
 * docs/configuration.md.
 *
 * @param type {@code local} or {@code azure-blob}
 * @param azure the container, when {@code type} is {@code azure-blob}
 */
@Validated
@ConfigurationProperties("millrace.storage")
public record StorageProperties(@NotNull @DefaultValue("local") Type type, @Valid @DefaultValue Azure azure) {

	/**
	 * The store for one use.
	 * @param localDirectory the directory, when the type is {@code local}
	 * @param prefix the key prefix in the container, when the type is {@code azure-blob}
	 * @return the store
	 */
	public ObjectStore create(Path localDirectory, String prefix) {
		return switch (this.type) {
			case LOCAL -> new LocalDirectoryObjectStore(localDirectory);
			case AZURE_BLOB -> this.azure.create(prefix);
		};
	}

	/** The kinds of store. */
	public enum Type {

		LOCAL, AZURE_BLOB

	}

	/**
	 * An Azure Blob Storage container: by connection string (Azurite, account keys), or
	 * by endpoint with {@code DefaultAzureCredential} (workload identity on AKS, the role
	 * {@code Storage Blob Data Contributor} on the container).
	 *
	 * @param connectionString a connection string; wins over the endpoint
	 * @param endpoint the blob endpoint, {@code https://<account>.blob.core.windows.net}
	 * @param container the container, created if missing
	 * @param maxTries tries per storage request (exponential back-off from 4 s)
	 * @param tryTimeout the time one try may take
	 */
	public record Azure(String connectionString, String endpoint, @NotBlank @DefaultValue("millrace") String container,
			@Min(1) @DefaultValue("4") int maxTries, @NotNull @DefaultValue("30s") Duration tryTimeout) {

		ObjectStore create(String prefix) {
			if (this.connectionString != null && !this.connectionString.isBlank()) {
				return AzureBlobObjectStore.fromConnectionString(this.connectionString, this.container, prefix,
						retries());
			}
			if (this.endpoint != null && !this.endpoint.isBlank()) {
				return AzureBlobObjectStore.fromEndpoint(this.endpoint, this.container, prefix, retries());
			}
			throw new IllegalStateException("millrace.storage.type=azure-blob needs millrace.storage.azure."
					+ "connection-string or millrace.storage.azure.endpoint");
		}

		private AzureBlobObjectStore.Retries retries() {
			return new AzureBlobObjectStore.Retries(this.maxTries, this.tryTimeout);
		}

	}

}
