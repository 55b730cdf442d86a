package io.millrace.lakehouse.storage.azure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.transport.storage.StorageProperties;

/**
 * Tables in an Azure Blob Storage container, under a prefix, through
 * {@link AzureBlobFileIO}: a commit is a conditional create of the log file, so writers
 * in any number of processes cannot both take one version. The identity the service runs
 * as needs the role "Storage Blob Data Contributor" on the container (or the account).
 */
public final class AzureBlobTableStorage implements TableStorage {

	private final BlobContainerClient container;

	private final String prefix;

	private final AzureBlobFileIO fileIO;

	/**
	 * @param container the container, created if missing
	 * @param prefix the blob name prefix of the tables; {@code null} or empty for none
	 */
	public AzureBlobTableStorage(BlobContainerClient container, String prefix) {
		this.container = container;
		this.prefix = normalizePrefix(prefix);
		try {
			// Checking first lets an identity whose role covers only an existing
			// container
			// use it; the create tolerates another instance creating it at the same time.
			if (!container.exists()) {
				container.createIfNotExists();
			}
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Cannot reach or create the container '" + container.getBlobContainerName()
					+ "' at " + container.getAccountUrl(), ex);
		}
		this.fileIO = new AzureBlobFileIO(container);
	}

	/**
	 * The storage that configuration names: the account of {@code millrace.storage.azure}
	 * (a connection string, or the endpoint with {@code DefaultAzureCredential}: workload
	 * identity on AKS, managed identity elsewhere on Azure, the Azure CLI login on a
	 * laptop), the container and prefix of {@code millrace.lakehouse.azure}.
	 * @param account the account, credentials and retries
	 * @param tables the container and prefix of the tables
	 * @return the storage
	 */
	public static AzureBlobTableStorage create(StorageProperties.Azure account, AzureTableStorageProperties tables) {
		BlobServiceClientBuilder builder = new BlobServiceClientBuilder().retryOptions(new RequestRetryOptions(
				RetryPolicyType.EXPONENTIAL, account.maxTries(), account.tryTimeout(), null, null, null));
		if (hasText(account.connectionString())) {
			builder.connectionString(account.connectionString());
		}
		else if (hasText(account.endpoint())) {
			builder.endpoint(account.endpoint()).credential(new DefaultAzureCredentialBuilder().build());
		}
		else {
			throw new IllegalStateException("millrace.storage.type=azure-blob puts the lakehouse tables in Azure"
					+ " Storage and needs millrace.storage.azure.connection-string or millrace.storage.azure.endpoint");
		}
		String containerName = hasText(tables.container()) ? tables.container() : account.container();
		return new AzureBlobTableStorage(builder.buildClient().getBlobContainerClient(containerName), tables.prefix());
	}

	@Override
	public FileIO fileIO() {
		return this.fileIO;
	}

	@Override
	public String tablePath(String table) {
		return this.fileIO.pathOf(this.prefix + table);
	}

	@Override
	public String describe() {
		return "Azure Blob container " + this.container.getBlobContainerUrl()
				+ (this.prefix.isEmpty() ? "" : ", prefix " + this.prefix);
	}

	/** A flat listing by prefix: every blob under the directory, at any depth. */
	@Override
	public List<FileStatus> listTree(String directory) throws IOException {
		String prefix = this.fileIO.blobName(directory);
		prefix = prefix.endsWith("/") ? prefix : prefix + "/";
		List<FileStatus> files = new ArrayList<>();
		try {
			for (BlobItem item : this.container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
				files.add(FileStatus.of(this.fileIO.pathOf(item.getName()), item.getProperties().getContentLength(),
						item.getProperties().getLastModified().toInstant().toEpochMilli()));
			}
		}
		catch (RuntimeException ex) {
			throw new IOException("Could not list " + directory, ex);
		}
		return files;
	}

	public BlobContainerClient container() {
		return this.container;
	}

	/**
	 * @return the blob name prefix of the tables, empty or ending in {@code /}
	 */
	public String prefix() {
		return this.prefix;
	}

	private static String normalizePrefix(String prefix) {
		if (prefix == null) {
			return "";
		}
		String trimmed = prefix.strip();
		while (trimmed.startsWith("/")) {
			trimmed = trimmed.substring(1);
		}
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed.isEmpty() ? "" : trimmed + "/";
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
