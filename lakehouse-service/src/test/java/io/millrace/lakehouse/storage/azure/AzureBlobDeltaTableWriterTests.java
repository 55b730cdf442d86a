package io.millrace.lakehouse.storage.azure;

import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.millrace.lakehouse.delta.DeltaTableWriterTests;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.storage.azure.AzuriteServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer's tests on Azure Blob Storage: a real Azurite, started by the test, each
 * test in a container of its own with the tables under a prefix. The reader has its own
 * client and file access.
 */
class AzureBlobDeltaTableWriterTests extends DeltaTableWriterTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private BlobContainerClient container;

	static BlobContainerClient container(String name) {
		return new BlobServiceClientBuilder().connectionString(azurite.connectionString())
			.buildClient()
			.getBlobContainerClient(name);
	}

	static String newContainerName() {
		return "lakehouse-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

	@Override
	protected TableStorage newStorage() {
		this.container = container(newContainerName());
		return new AzureBlobTableStorage(this.container, "tables");
	}

	@Override
	protected FileIO readerFileIO() {
		return new AzureBlobFileIO(container(this.container.getBlobContainerName()));
	}

	@Override
	protected long parquetFiles() {
		return this.container.listBlobs(new ListBlobsOptions().setPrefix("tables/"), null)
			.stream()
			.filter((blob) -> blob.getName().endsWith(".parquet") && !blob.getName().contains("/_delta_log/"))
			.count();
	}

}
