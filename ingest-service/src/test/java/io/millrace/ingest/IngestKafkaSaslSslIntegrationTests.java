package io.millrace.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.topic.Topics;
import io.millrace.security.SelfSignedCertificate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka binder's TLS and SASL settings as docs/configuration.md gives them for Event
 * Hubs' Kafka endpoint with a connection string ({@code SASL_SSL}, {@code PLAIN}, user
 * {@code $ConnectionString}), against a real broker listener that demands exactly that:
 * ingest publishes through it, and a client with the wrong password is refused. The only
 * addition to the documented settings is the trust store: this listener's certificate is
 * self-signed, Event Hubs' is publicly trusted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class IngestKafkaSaslSslIntegrationTests {

	static final String CONNECTION_STRING = "Endpoint=sb://millrace-test.servicebus.windows.net/;"
			+ "SharedAccessKeyName=send;SharedAccessKey=" + UUID.randomUUID();

	static final SelfSignedCertificate certificate = SelfSignedCertificate.generate("localhost", temporaryDirectory());

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporaryWithSaslSsl(
			LocalSettings.load().topicPartitions(), new KafkaKraftBroker.SaslSslListener(certificate.certificatePem(),
					certificate.privateKeyPem(), "$ConnectionString", CONNECTION_STRING));

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		String binder = "spring.cloud.stream.kafka.binder.";
		registry.add(binder + "brokers", broker::saslSslBootstrapServers);
		registry.add("spring.cloud.azure.eventhubs.kafka.enabled", () -> "false");
		registry.add(binder + "configuration.security.protocol", () -> "SASL_SSL");
		registry.add(binder + "configuration.sasl.mechanism", () -> "PLAIN");
		registry.add(binder + "configuration.sasl.jaas.config", () -> jaas(CONNECTION_STRING));
		registry.add(binder + "configuration.ssl.truststore.type", () -> "PEM");
		registry.add(binder + "configuration.ssl.truststore.certificates", certificate::certificatePem);
		TestApiKeys.register(registry);
	}

	@AfterAll
	static void stop() {
		broker.close();
	}

	@Test
	void publishesThroughASaslSslListenerWithTheDocumentedSettings() {
		String sensor = "sasl-" + UUID.randomUUID();
		HttpResponse<String> response = LocalHttp.post("http://127.0.0.1:" + this.port + "/api/v1/events",
				"application/json",
				"{\"sensorId\": \"" + sensor + "\", \"value\": 1, \"timestamp\": \"" + Instant.now() + "\"}",
				TestApiKeys.WRITER_HEADER);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			assertThat(topics
				.readUntil(Topics.TELEMETRY_RAW,
						(records) -> records.stream().anyMatch((r) -> sensor.equals(TopicClient.key(r))),
						Duration.ofSeconds(10))
				.stream()
				.map(TopicClient::key)).contains(sensor);
		}
	}

	@Test
	void theListenerRefusesAWrongPassword() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.saslSslBootstrapServers(), "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
				"sasl.jaas.config", jaas("Endpoint=sb://millrace-test.servicebus.windows.net/;SharedAccessKey=wrong"),
				"ssl.truststore.type", "PEM", "ssl.truststore.certificates", certificate.certificatePem(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				10000))) {
			assertThatThrownBy(() -> admin.describeCluster().nodes().get()).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(SaslAuthenticationException.class);
		}
	}

	private static String jaas(String connectionString) {
		return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ConnectionString\" "
				+ "password=\"" + connectionString + "\";";
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("ingest-sasl");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
