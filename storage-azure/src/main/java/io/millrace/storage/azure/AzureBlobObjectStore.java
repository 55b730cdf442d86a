package io.millrace.storage.azure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StorageException;
import io.millrace.storage.StoredObject;

/**
 * The storage port on an Azure Blob Storage container. An object is a block blob named by
 * the store's key prefix and its key; its version is the blob's ETag, so conditional
 * writes are the service's own {@code If-Match} / {@code If-None-Match: *} and hold
 * across every process that shares the container. Each write is one Put Blob request,
 * which the service applies atomically.
 */
public final class AzureBlobObjectStore implements ObjectStore {

	/** The same key rule as the local directory, so keys move between adapters. */
	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._\\-=+]{1,200}");

	/**
	 * A 412 or 409 says only that the object moved, not what it is now; reading it again
	 * to say more would cost a request on every lost race.
	 */
	private static final String MOVED = "another one";

	private final BlobContainerClient container;

	private final String keyPrefix;

	/**
	 * A store on a container, created if missing.
	 * @param container the container, with its credentials
	 * @param keyPrefix prepended to every key (a {@code /} is added), so that several
	 * stores can share a container; {@code null} or empty for none
	 * @throws StorageException if the container cannot be reached or created
	 */
	public AzureBlobObjectStore(BlobContainerClient container, String keyPrefix) {
		this.container = container;
		this.keyPrefix = normalizePrefix(keyPrefix);
		try {
			// Checking first lets an identity whose role covers only an existing
			// container use it; the create tolerates the 409 of a store creating it
			// at the same time.
			if (!container.exists()) {
				container.createIfNotExists();
			}
		}
		catch (RuntimeException ex) {
			throw new StorageException("Cannot reach or create the container '" + container.getBlobContainerName()
					+ "' at " + container.getAccountUrl(), ex);
		}
	}

	/**
	 * A store authenticated by a connection string (an account key or a SAS; Azurite's
	 * development account).
	 * @param connectionString the storage account's connection string
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @return the store
	 */
	public static AzureBlobObjectStore fromConnectionString(String connectionString, String containerName,
			String keyPrefix) {
		return fromConnectionString(connectionString, containerName, keyPrefix, Retries.SDK_DEFAULT);
	}

	/**
	 * A store authenticated by a connection string, with its own retries.
	 * @param connectionString the storage account's connection string
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @param retries how often and how long each request is tried
	 * @return the store
	 */
	public static AzureBlobObjectStore fromConnectionString(String connectionString, String containerName,
			String keyPrefix, Retries retries) {
		return new AzureBlobObjectStore(new BlobServiceClientBuilder().connectionString(connectionString)
			.retryOptions(retries.options())
			.buildClient()
			.getBlobContainerClient(containerName), keyPrefix);
	}

	/**
	 * A store authenticated by Entra ID.
	 * @param endpoint the blob endpoint, {@code https://<account>.blob.core.windows.net}
	 * @param credential the credential; the identity needs the role Storage Blob Data
	 * Contributor on the account or the container
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @return the store
	 */
	public static AzureBlobObjectStore fromEndpoint(String endpoint, TokenCredential credential, String containerName,
			String keyPrefix) {
		return fromEndpoint(endpoint, credential, containerName, keyPrefix, Retries.SDK_DEFAULT);
	}

	/**
	 * A store authenticated by Entra ID, with its own retries.
	 * @param endpoint the blob endpoint, {@code https://<account>.blob.core.windows.net}
	 * @param credential the credential
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @param retries how often and how long each request is tried
	 * @return the store
	 */
	public static AzureBlobObjectStore fromEndpoint(String endpoint, TokenCredential credential, String containerName,
			String keyPrefix, Retries retries) {
		return new AzureBlobObjectStore(new BlobServiceClientBuilder().endpoint(endpoint)
			.credential(credential)
			.retryOptions(retries.options())
			.buildClient()
			.getBlobContainerClient(containerName), keyPrefix);
	}

	/**
	 * A store authenticated by {@code DefaultAzureCredential}: workload identity on AKS,
	 * managed identity on other Azure hosts, the Azure CLI login on a laptop.
	 * @param endpoint the blob endpoint, {@code https://<account>.blob.core.windows.net}
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @return the store
	 */
	public static AzureBlobObjectStore fromEndpoint(String endpoint, String containerName, String keyPrefix) {
		return fromEndpoint(endpoint, containerName, keyPrefix, Retries.SDK_DEFAULT);
	}

	/**
	 * A store authenticated by {@code DefaultAzureCredential}, with its own retries.
	 * @param endpoint the blob endpoint
	 * @param containerName the container, created if missing
	 * @param keyPrefix prepended to every key; {@code null} or empty for none
	 * @param retries how often and how long each request is tried
	 * @return the store
	 */
	public static AzureBlobObjectStore fromEndpoint(String endpoint, String containerName, String keyPrefix,
			Retries retries) {
		return fromEndpoint(endpoint, new DefaultAzureCredentialBuilder().build(), containerName, keyPrefix, retries);
	}

	/**
	 * How each request is tried: an exponential back-off from 4 s (the SDK's), at most
	 * {@code maxTries} times, each try given {@code tryTimeout}. A failing request holds
	 * its caller (a checkpoint holds the input) for up to about the sum, so keep it well
	 * under the consumer's poll interval.
	 *
	 * @param maxTries tries per request, at least 1
	 * @param tryTimeout the time one try may take
	 */
	public record Retries(int maxTries, Duration tryTimeout) {

		/** The SDK's defaults: 4 tries, each with no time limit of its own. */
		public static final Retries SDK_DEFAULT = new Retries(4, null);

		public Retries {
			if (maxTries < 1) {
				throw new IllegalArgumentException("maxTries must be at least 1, not " + maxTries);
			}
		}

		RequestRetryOptions options() {
			return new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, this.maxTries, this.tryTimeout, null, null,
					null);
		}

	}

	@Override
	public Optional<StoredObject> get(String key) {
		BlobClient blob = blobOf(key);
		try {
			BlobDownloadContentResponse response = blob.downloadContentWithResponse(null, null, null, Context.NONE);
			return Optional
				.of(new StoredObject(key, response.getValue().toBytes(), response.getDeserializedHeaders().getETag()));
		}
		catch (BlobStorageException ex) {
			if (BlobErrorCode.BLOB_NOT_FOUND.equals(ex.getErrorCode())) {
				return Optional.empty();
			}
			throw failure("read", key, ex);
		}
		catch (RuntimeException ex) {
			throw failure("read", key, ex);
		}
	}

	@Override
	public String put(String key, byte[] data, Precondition precondition) {
		BlobClient blob = blobOf(key);
		BlobRequestConditions conditions = conditionsFor(blob, key, precondition);
		try {
			return blob.getBlockBlobClient()
				.uploadWithResponse(
						new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(data)).setRequestConditions(conditions),
						null, Context.NONE)
				.getValue()
				.getETag();
		}
		catch (BlobStorageException ex) {
			if (moved(ex)) {
				throw new PreconditionFailedException(key, precondition, MOVED);
			}
			throw failure("write", key, ex);
		}
		catch (RuntimeException ex) {
			throw failure("write", key, ex);
		}
	}

	@Override
	public void delete(String key, Precondition precondition) {
		BlobClient blob = blobOf(key);
		if (precondition.dependsOnCurrentVersion() && precondition.holdsFor(null)) {
			// "Delete if absent" never deletes anything, and Delete Blob is not reliably
			// refused under If-None-Match: * (Azurite ignores it), so only check.
			String current = currentVersion(blob, key);
			if (current != null) {
				throw new PreconditionFailedException(key, precondition, current);
			}
			return;
		}
		BlobRequestConditions conditions = conditionsFor(blob, key, precondition);
		try {
			blob.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, conditions, null, Context.NONE);
		}
		catch (BlobStorageException ex) {
			if (BlobErrorCode.BLOB_NOT_FOUND.equals(ex.getErrorCode())) {
				// Gone already: fine for "any", a lost race for "matches".
				if (!precondition.holdsFor(null)) {
					throw new PreconditionFailedException(key, precondition, null);
				}
				return;
			}
			if (moved(ex)) {
				throw new PreconditionFailedException(key, precondition, MOVED);
			}
			throw failure("delete", key, ex);
		}
		catch (RuntimeException ex) {
			throw failure("delete", key, ex);
		}
	}

	@Override
	public List<String> list(String prefix) {
		try {
			return this.container.listBlobs(new ListBlobsOptions().setPrefix(this.keyPrefix + prefix), null)
				.stream()
				.map(BlobItem::getName)
				.map((name) -> name.substring(this.keyPrefix.length()))
				.sorted()
				.toList();
		}
		catch (RuntimeException ex) {
			throw new StorageException("Cannot list '" + prefix + "' in " + where(), ex);
		}
	}

	/**
	 * One listing instead of a read per object: the listing carries each blob's ETag, in
	 * the same form a read reports it (the contract test compares them).
	 */
	@Override
	public SortedMap<String, String> listVersions(String prefix) {
		try {
			SortedMap<String, String> versions = new TreeMap<>();
			for (BlobItem item : this.container.listBlobs(new ListBlobsOptions().setPrefix(this.keyPrefix + prefix),
					null)) {
				versions.put(item.getName().substring(this.keyPrefix.length()), item.getProperties().getETag());
			}
			return versions;
		}
		catch (RuntimeException ex) {
			throw new StorageException("Cannot list '" + prefix + "' in " + where(), ex);
		}
	}

	/**
	 * The request conditions that make the service enforce a precondition. The port does
	 * not hand out the version a {@link Precondition#matches} was made with, so it is
	 * compared with the blob's current ETag here, and the service then checks that ETag
	 * with {@code If-Match}: a write in between fails with 412 just the same.
	 */
	private BlobRequestConditions conditionsFor(BlobClient blob, String key, Precondition precondition) {
		BlobRequestConditions conditions = new BlobRequestConditions();
		if (!precondition.dependsOnCurrentVersion()) {
			return conditions;
		}
		if (precondition.holdsFor(null)) {
			return conditions.setIfNoneMatch("*");
		}
		String current = currentVersion(blob, key);
		if (!precondition.holdsFor(current)) {
			throw new PreconditionFailedException(key, precondition, current);
		}
		return conditions.setIfMatch(current);
	}

	private String currentVersion(BlobClient blob, String key) {
		try {
			return blob.getPropertiesWithResponse(null, null, Context.NONE).getValue().getETag();
		}
		catch (BlobStorageException ex) {
			// A HEAD response has no body, so only the status says the blob is absent.
			if (ex.getStatusCode() == 404 && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(ex.getErrorCode())) {
				return null;
			}
			throw failure("read", key, ex);
		}
		catch (RuntimeException ex) {
			throw failure("read", key, ex);
		}
	}

	/**
	 * Azure answers a failed {@code If-None-Match: *} on Put Blob with 409
	 * BlobAlreadyExists rather than 412.
	 */
	private static boolean moved(BlobStorageException ex) {
		return ex.getStatusCode() == 412 || BlobErrorCode.CONDITION_NOT_MET.equals(ex.getErrorCode())
				|| BlobErrorCode.BLOB_ALREADY_EXISTS.equals(ex.getErrorCode());
	}

	private BlobClient blobOf(String key) {
		checkKey(key, "key");
		return this.container.getBlobClient(this.keyPrefix + key);
	}

	private StorageException failure(String action, String key, RuntimeException cause) {
		return new StorageException("Cannot " + action + " '" + key + "' in " + where(), cause);
	}

	private String where() {
		return this.container.getAccountUrl() + "/" + this.container.getBlobContainerName() + "/" + this.keyPrefix;
	}

	private static String normalizePrefix(String keyPrefix) {
		if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.equals("/")) {
			return "";
		}
		String trimmed = keyPrefix.endsWith("/") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix;
		checkKey(trimmed, "key prefix");
		return trimmed + "/";
	}

	private static void checkKey(String key, String what) {
		if (key == null || key.isEmpty()) {
			throw new StorageException("A " + what + " must not be empty");
		}
		for (String segment : key.split("/", -1)) {
			if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
				throw new StorageException("Invalid " + what + " '" + key + "': segments are 1-200 of [A-Za-z0-9._-=+],"
						+ " not '.' or '..', separated by '/'");
			}
		}
	}

	@Override
	public String toString() {
		return "AzureBlobObjectStore[" + this.container.getBlobContainerUrl()
				+ ((this.keyPrefix != null && !this.keyPrefix.isEmpty()) ? ", prefix " + this.keyPrefix : "") + "]";
	}

}
