package io.millrace.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.security.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The API over https from PEM files through a Spring Boot SSL bundle, exactly as
 * docs/security.md configures it: a client that verifies the certificate (it trusts that
 * one certificate, for {@code localhost}) gets its {@code 202}; one with the JDK's
 * default trust is refused in the handshake; and when the PEM files are replaced (a
 * rotated certificate, as cert-manager or a mounted Secret does it), the running service
 * serves the new certificate without a restart. The management port stays plain http for
 * the kubelet and the scraper.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class IngestTlsIntegrationTests {

	static final Path directory = temporaryDirectory();

	static final Path certificateFile = directory.resolve("tls.crt");

	static final Path keyFile = directory.resolve("tls.key");

	static final SelfSignedCertificate first = SelfSignedCertificate.generate("localhost", directory);

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		first.writePem(certificateFile, keyFile);
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		TestApiKeys.register(registry);
		registry.add("server.ssl.bundle", () -> "web");
		registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + certificateFile);
		registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + keyFile);
		registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
		registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
	}

	@AfterAll
	static void stop() {
		broker.close();
	}

	@Test
	void servesTheApiOverHttpsToClientsThatVerifyAndPicksUpARotatedCertificate() throws Exception {
		assertThat(postEvent(first.trustingOnlyThis()).statusCode()).isEqualTo(202);
		assertThatThrownBy(() -> postEvent(SSLContext.getDefault())).hasCauseInstanceOf(SSLHandshakeException.class);
		assertThat(LocalHttp.get("http://localhost:" + this.managementPort + "/actuator/health/readiness").statusCode())
			.isEqualTo(200);

		SelfSignedCertificate rotated = SelfSignedCertificate.generate("localhost", directory);
		rotated.writePem(certificateFile, keyFile);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(postEvent(rotated.trustingOnlyThis()).statusCode()).isEqualTo(202));
		assertThatThrownBy(() -> postEvent(first.trustingOnlyThis())).hasCauseInstanceOf(SSLHandshakeException.class);
	}

	private HttpResponse<String> postEvent(SSLContext trust) {
		String event = "{\"sensorId\": \"tls-" + UUID.randomUUID() + "\", \"value\": 1, \"timestamp\": \""
				+ Instant.now() + "\"}";
		// A new client each time: a pooled connection would still speak the old
		// certificate.
		HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("https://localhost:" + this.port + "/api/v1/events"))
				.header("Content-Type", "application/json")
				.header("X-API-Key", TestApiKeys.WRITER)
				.timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofString(event))
				.build();
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("ingest-tls");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
