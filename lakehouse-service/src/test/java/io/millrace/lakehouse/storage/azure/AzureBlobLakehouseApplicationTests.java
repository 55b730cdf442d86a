package io.millrace.lakehouse.storage.azure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.millrace.lakehouse.LakehouseApplication;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.storage.TableStorage;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.model.topic.Topics;
import io.millrace.storage.azure.AzuriteServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as configured for Azure ({@code millrace.storage.type=azure-blob}), on a
 * real Kafka broker and a real Azurite: its tables are created in the container under the
 * prefix, events land in Bronze there once each, and nothing is written to the local
 * directory.
 */
@SpringBootTest(classes = LakehouseApplication.class,
		properties = { "management.server.port=0", "millrace.storage.type=azure-blob",
				"millrace.lakehouse.azure.prefix=tables", "millrace.lakehouse.commit.interval=500ms" })
class AzureBlobLakehouseApplicationTests {

	@RegisterExtension
	static final AzuriteServer azurite = AzureBlobDeltaTableWriterTests.azurite;

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(
			Map.of(Topics.TELEMETRY_RAW, 2, Topics.TELEMETRY_AGGREGATES, 1, Topics.TELEMETRY_DEADLETTER, 1));

	static final String CONTAINER = AzureBlobDeltaTableWriterTests.newContainerName();

	static final Path localRoot = Path.of(System.getProperty("java.io.tmpdir"), CONTAINER);

	@Autowired
	TableStorage storage;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.storage.azure.connection-string", azurite::connectionString);
		registry.add("millrace.lakehouse.azure.container", () -> CONTAINER);
		registry.add("millrace.lakehouse.root", localRoot::toString);
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@Test
	void theTablesAreInTheContainerAndEveryEventReachesBronzeOnce() throws Exception {
		assertThat(this.storage).isInstanceOf(AzureBlobTableStorage.class);
		String bronze = azurite.blobEndpoint() + "/" + CONTAINER + "/tables/" + BronzeTable.NAME;
		assertThat(this.storage.tablePath(BronzeTable.NAME)).isEqualTo(bronze);
		AzureBlobFileIO readerIO = new AzureBlobFileIO(AzureBlobDeltaTableWriterTests.container(CONTAINER));
		assertThat(new KernelTableReader(readerIO, this.storage.tablePath(GoldTable.NAME)).snapshot().getVersion())
			.as("Gold created at start")
			.isZero();

		int events = 200;
		Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map
			.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < events; i++) {
				String sensor = "s" + (i % 10);
				String json = "{\"eventId\":\"a" + i + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\""
						+ t0.plusSeconds(i) + "\",\"value\":" + i + "}";
				producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, bytes(sensor), bytes(json)));
			}
		}
		KernelTableReader reader = new KernelTableReader(readerIO, bronze);
		List<Map<String, Object>> rows = await("Bronze in Azure holds every event").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(reader::rows, (read) -> read.size() >= events);
		assertThat(rows).hasSize(events);
		assertThat(rows.stream().map((row) -> row.get("event_id")).distinct()).hasSize(events);
		assertThat(reader.addActions())
			.allSatisfy((add) -> assertThat(add.get("stats").asText()).contains("numRecords"));
		assertThat(Files.exists(localRoot)).as("nothing in the local directory").isFalse();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
