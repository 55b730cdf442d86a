package io.millrace.model.binding;

/**
 * Properties that point the {@code eventhubs} profile at loopback addresses, for tests
 * that prove a service's context starts and binds under the Event Hubs binder without
 * Azure. Connection strings (SAS) keep the Azure SDK from looking for a managed identity
 * or resolving a public namespace; nothing listens on these ports, so the AMQP and Blob
 * clients retry quietly in the background while the test inspects the bindings.
 */
public final class EventHubsTestConnection {

	/** An Event Hubs namespace on loopback (emulator-style, plain AMQP). */
	public static final String NAMESPACE = "spring.cloud.azure.eventhubs.connection-string="
			+ "Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==;UseDevelopmentEmulator=true";

	/**
	 * A Blob checkpoint store on loopback, with Azurite's well-known development account.
	 */
	public static final String CHECKPOINT_STORE = "spring.cloud.azure.eventhubs.processor.checkpoint-store.connection-string="
			+ "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
			+ "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
			+ "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

	private EventHubsTestConnection() {
	}

}
