package io.millrace.lakehouse.storage.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.millrace.lakehouse.maintenance.TableMaintenanceTests;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.storage.azure.AzuriteServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Compaction, checkpoints and vacuum on Azure Blob Storage: a real Azurite, a container
 * per test, the tables under a prefix.
 */
class AzureBlobTableMaintenanceTests extends TableMaintenanceTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private BlobContainerClient container;

	private static BlobContainerClient container(String name) {
		return new BlobServiceClientBuilder().connectionString(azurite.connectionString())
			.buildClient()
			.getBlobContainerClient(name);
	}

	@Override
	protected TableStorage newStorage() {
		this.container = container(AzureBlobDeltaTableWriterTests.newContainerName());
		return new AzureBlobTableStorage(this.container, "tables");
	}

	@Override
	protected FileIO readerFileIO() {
		return new AzureBlobFileIO(container(this.container.getBlobContainerName()));
	}

}
