package io.millrace.alerting;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.security.ApiKeyFixture;
import io.millrace.security.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call alerting-service, on the running service: {@code read} (an API key or an
 * Entra ID app role) to list rules and alerts, {@code admin} to change rules; every
 * refusal a problem detail; health and metrics open on the management port.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class AlertingSecurityIntegrationTests {

	static final String AUDIENCE = "api://millrace-alerting";

	static final String READER = "mr_alerting-reader-key";

	static final String WRITER = "mr_alerting-writer-key";

	static final String ADMIN = "mr_alerting-admin-key";

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final TestTokenIssuer issuer = TestTokenIssuer.start();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		issuer.register(registry, AUDIENCE);
		ApiKeyFixture.register(registry, 0, "dashboard", READER, "read");
		ApiKeyFixture.register(registry, 1, "devices", WRITER, "events:write");
		ApiKeyFixture.register(registry, 2, "operator", ADMIN, "admin");
	}

	@AfterAll
	static void stop() {
		issuer.close();
		broker.close();
	}

	@Test
	void withoutCredentialsTheApiAnswers401WithAProblemAndAChallenge() {
		HttpResponse<String> response = api("/api/v1/alerts", Map.of());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("ApiKey realm=\"millrace\", Bearer realm=\"millrace\"");
		assertThat(response.body()).contains("https://millrace.io/problems/unauthorized", "X-API-Key");
		HttpResponse<String> unknown = api("/api/v1/alerts", Map.of("X-API-Key", "mr_guessed"));
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).contains("Unknown API key").doesNotContain("mr_guessed");
	}

	@Test
	void aReadKeyReadsAndAKeyWithoutReadIs403() {
		assertThat(api("/api/v1/alerts", Map.of("X-API-Key", READER)).statusCode()).isEqualTo(200);
		assertThat(api("/api/v1/rules", Map.of("Authorization", "ApiKey " + READER)).statusCode()).isEqualTo(200);
		assertThat(api("/api/v1/alerts", Map.of("X-API-Key", ADMIN)).statusCode()).isEqualTo(200);
		HttpResponse<String> writer = api("/api/v1/alerts", Map.of("X-API-Key", WRITER));
		assertThat(writer.statusCode()).isEqualTo(403);
		assertThat(writer.body()).contains("https://millrace.io/problems/forbidden",
				"GET /api/v1/alerts needs the scope 'read' (or 'admin'); the credentials of 'devices' hold [events:write]");
	}

	@Test
	void writesNeedAdmin() {
		// alerting-service has no write endpoint yet (rules are configuration until the
		// rules
		// API comes): the rule refuses a read key before routing, and an admin key gets
		// past
		// it to the API's own 405.
		HttpResponse<String> reader = write("/api/v1/rules", READER);
		assertThat(reader.statusCode()).isEqualTo(403);
		assertThat(reader.body()).contains("POST /api/v1/rules needs the scope 'admin'", "[read]");
		assertThat(write("/api/v1/rules", ADMIN).statusCode()).isEqualTo(405);
	}

	@Test
	void anEntraTokenWithTheReadRoleReads() {
		String reader = issuer.token(AUDIENCE, List.of("Telemetry.Read"));
		assertThat(api("/api/v1/alerts", bearer(reader)).statusCode()).isEqualTo(200);
		String devices = issuer.token(AUDIENCE, List.of("Events.Write"));
		assertThat(api("/api/v1/alerts", bearer(devices)).statusCode()).isEqualTo(403);
		String otherApi = issuer.token(TestTokenIssuer.ISSUER, "api://millrace-ingest", List.of("Telemetry.Read"),
				Instant.now().plusSeconds(300));
		assertThat(api("/api/v1/alerts", bearer(otherApi)).statusCode()).isEqualTo(401);
	}

	@Test
	void healthAndMetricsNeedNoCredentials() {
		assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
		api("/api/v1/alerts", Map.of());
		HttpResponse<String> metrics = management("/actuator/prometheus");
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).containsPattern(
				"millrace_api_requests_rejected_total\\{application=\"alerting-service\",reason=\"unauthorized\"\\} [1-9]")
			.contains("millrace_api_requests_rejected_total{application=\"alerting-service\",reason=\"forbidden\"}");
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token);
	}

	private HttpResponse<String> api(String path, Map<String, String> headers) {
		return LocalHttp.get("http://127.0.0.1:" + this.port + path, headers);
	}

	private HttpResponse<String> write(String path, String key) {
		return LocalHttp.post("http://127.0.0.1:" + this.port + path, "application/json", "{}",
				Map.of("X-API-Key", key));
	}

	private HttpResponse<String> management(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

}
