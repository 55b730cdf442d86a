package io.millrace.lakehouse.storage.azure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.azure.*}: where in Azure Blob Storage the tables live when
 * {@code millrace.storage.type} is {@code azure-blob}. The account and its credentials
 * are {@code millrace.storage.azure.*}, shared with the rest of the service's storage.
 * Documented in docs/configuration.md.
 *
 * @param container the container of the tables, created if missing; empty for
 * {@code millrace.storage.azure.container}
 * @param prefix the blob name prefix the tables live under ({@code <prefix>/bronze/...});
 * empty for the container's root
 */
@Validated
@ConfigurationProperties("millrace.lakehouse.azure")
public record AzureTableStorageProperties(@DefaultValue("") String container,
		@DefaultValue("lakehouse") String prefix) {

}
