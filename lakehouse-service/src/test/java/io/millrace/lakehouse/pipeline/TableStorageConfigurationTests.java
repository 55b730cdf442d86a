package io.millrace.lakehouse.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.millrace.lakehouse.LakehouseProperties;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.lakehouse.storage.azure.AzureBlobTableStorage;
import io.millrace.lakehouse.storage.azure.AzureTableStorageProperties;
import io.millrace.storage.azure.AzuriteServer;
import io.millrace.transport.storage.StorageProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table storage follows {@code millrace.storage.type}, with the properties bound as
 * the service binds them: the local directory by default, the Azure container and prefix
 * with {@code azure-blob}.
 */
class TableStorageConfigurationTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	@TempDir
	Path root;

	@Test
	void byDefaultTheTablesAreInTheLocalDirectory() {
		TableStorage storage = tableStorage(Map.of());
		assertThat(storage).isInstanceOf(LocalTableStorage.class);
		assertThat(storage.tablePath(BronzeTable.NAME))
			.isEqualTo(this.root.resolve(BronzeTable.NAME).toUri().toString());
	}

	@Test
	void withAzureBlobStorageTheTablesAreInTheContainerUnderThePrefix() {
		String container = "lakehouse-" + UUID.randomUUID().toString().substring(0, 8);
		TableStorage storage = tableStorage(Map.of("millrace.storage.type", "azure-blob",
				"millrace.storage.azure.connection-string", azurite.connectionString(),
				"millrace.lakehouse.azure.container", container, "millrace.lakehouse.azure.prefix", "tables"));
		assertThat(storage).isInstanceOf(AzureBlobTableStorage.class);
		assertThat(storage.tablePath(BronzeTable.NAME))
			.isEqualTo(azurite.blobEndpoint() + "/" + container + "/tables/" + BronzeTable.NAME);
	}

	private TableStorage tableStorage(Map<String, String> properties) {
		Map<String, String> all = new HashMap<>(properties);
		all.put("millrace.lakehouse.root", this.root.toString());
		Binder binder = new Binder(new MapConfigurationPropertySource(all));
		return new LakehousePipelineConfiguration().tableStorage(
				binder.bindOrCreate("millrace.lakehouse", LakehouseProperties.class),
				binder.bindOrCreate("millrace.storage", StorageProperties.class),
				binder.bindOrCreate("millrace.lakehouse.azure", AzureTableStorageProperties.class));
	}

}
