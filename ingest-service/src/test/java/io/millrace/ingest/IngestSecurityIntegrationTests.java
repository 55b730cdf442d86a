package io.millrace.ingest;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.security.ApiKeyFixture;
import io.millrace.security.ManagementPlaneContract;
import io.millrace.security.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send events, through the shared security module as ingest configures it: API
 * keys (either header), Entra ID tokens from a real JWKS endpoint with the right app
 * role, per-client rate limits by the caller's name (key name or client application);
 * every refusal a problem detail; health and the contracts open; the management port's
 * promises ({@link ManagementPlaneContract}). The module's generic behaviour (every way a
 * token is refused, delegated scopes, {@code admin} implying the others) is tested in the
 * security module ({@code ApiSecurityTests}).
 */
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.ingest.rate-limit.clients.limited.events-per-second=0.1",
				"millrace.ingest.rate-limit.clients.limited.burst=5",
				"millrace.ingest.rate-limit.clients." + IngestSecurityIntegrationTests.LIMITED_APP
						+ ".events-per-second=0.1",
				"millrace.ingest.rate-limit.clients." + IngestSecurityIntegrationTests.LIMITED_APP + ".burst=5" })
class IngestSecurityIntegrationTests implements ManagementPlaneContract {

	static final String AUDIENCE = "api://millrace-ingest";

	static final String LIMITED = "mr_test-limited-key";

	static final String ADMIN = "mr_test-admin-key";

	/** An Entra ID client application with a rate limit of its own. */
	static final String LIMITED_APP = "22222222-3333-4444-5555-666666666666";

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
		TestApiKeys.register(registry);
		ApiKeyFixture.register(registry, 2, "limited", LIMITED, "events:write");
		ApiKeyFixture.register(registry, 3, "operator", ADMIN, "admin");
	}

	@AfterAll
	static void stop(@Autowired ConfigurableApplicationContext application) {
		// The application's clients stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		issuer.close();
		broker.close();
	}

	@Test
	void withoutCredentialsTheApiAnswers401WithAProblemAndAChallenge() {
		HttpResponse<String> response = post(Map.of());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("ApiKey realm=\"millrace\"",
					"Bearer realm=\"millrace\""));
		assertThat(response.body()).contains("https://millrace.io/problems/unauthorized", "X-API-Key");
	}

	@Test
	void anUnknownKeyIs401AndIsNotEchoed() {
		HttpResponse<String> response = post(Map.of("X-API-Key", "mr_guessed-key"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("Unknown API key").doesNotContain("mr_guessed-key");
	}

	@Test
	void aWriterKeyIsAcceptedInEitherHeader() {
		assertThat(post(Map.of("X-API-Key", TestApiKeys.WRITER)).statusCode()).isEqualTo(202);
		assertThat(post(Map.of("Authorization", "ApiKey " + TestApiKeys.WRITER)).statusCode()).isEqualTo(202);
		assertThat(post(Map.of("Authorization", "apikey " + TestApiKeys.WRITER)).statusCode()).isEqualTo(202);
	}

	@Test
	void aKeyWithoutTheWriteScopeIs403() {
		HttpResponse<String> response = post(Map.of("X-API-Key", TestApiKeys.READER));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("https://millrace.io/problems/forbidden",
				"POST /api/v1/events needs the scope 'events:write' (or 'admin')", "test-reader", "[read]");
	}

	@Test
	void healthMetricsAndContractsNeedNoCredentials() {
		assertThat(LocalHttp.get(management("/actuator/health/readiness")).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get(management("/actuator/health/liveness")).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get(api("/api/v1/schemas/telemetry-event")).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get(api("/v3/api-docs")).statusCode()).isEqualTo(200);
		double unauthorized = unauthorizedRequests();
		post(Map.of());
		assertThat(unauthorizedRequests()).isEqualTo(unauthorized + 1);
		// Counted in ingest's own total of refused requests and in the shared counter of
		// every API.
		assertThat(LocalHttp.get(management("/actuator/prometheus")).body())
			.contains("millrace_api_requests_rejected_total{application=\"ingest-service\",reason=\"unauthorized\"}");
	}

	@Test
	void refusalsOnTheManagementPortAreCountedInTheSharedCounterOnly() {
		double ingest = unauthorizedRequests();
		double shared = sample(
				"millrace_api_requests_rejected_total{application=\"ingest-service\",reason=\"unauthorized\"} ");
		assertThat(LocalHttp.get(management("/actuator/bindings")).statusCode()).isEqualTo(401);
		assertThat(unauthorizedRequests()).as("not an ingest request").isEqualTo(ingest);
		assertThat(
				sample("millrace_api_requests_rejected_total{application=\"ingest-service\",reason=\"unauthorized\"} "))
			.isEqualTo(shared + 1);
	}

	/** The counter of requests rejected as unauthorized, as Prometheus scrapes it. */
	private double unauthorizedRequests() {
		return sample(
				"millrace_ingest_requests_rejected_total{application=\"ingest-service\",reason=\"unauthorized\"} ");
	}

	private double sample(String series) {
		return LocalHttp.get(management("/actuator/prometheus"))
			.body()
			.lines()
			.filter((line) -> line.startsWith(series))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length()).trim()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no series " + series));
	}

	@Test
	void anEntraTokenWithTheWriteRoleForThisApiIsAccepted() {
		String token = issuer.token(AUDIENCE, List.of("Events.Write"));
		assertThat(post(Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(202);
	}

	@Test
	void anEntraTokenWithOnlyTheReadRoleIs403() {
		String token = issuer.token(AUDIENCE, List.of("Telemetry.Read"));
		HttpResponse<String> response = post(Map.of("Authorization", "Bearer " + token));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("[read]");
	}

	@Test
	void aClientOverItsRateLimitGets429WithRetryAfterAndOthersDoNot() {
		Map<String, String> limited = Map.of("X-API-Key", LIMITED);
		String five = "[" + String.join(",", java.util.Collections.nCopies(5, event())) + "]";
		assertThat(post(five, limited).statusCode()).isEqualTo(202);
		HttpResponse<String> refused = post(five, limited);
		assertThat(refused.statusCode()).isEqualTo(429);
		// Five events at 0.1/s: 50 s, less the time between the two requests.
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(40, 50));
		assertThat(refused.body()).contains("https://millrace.io/problems/rate-limited", "'limited'");
		assertThat(post(five, TestApiKeys.WRITER_HEADER).statusCode()).isEqualTo(202);
	}

	@Test
	void anEntraClientApplicationIsLimitedByItsOwnName() {
		Map<String, String> limited = Map.of("Authorization",
				"Bearer " + issuer.tokenFor(LIMITED_APP, AUDIENCE, List.of("Events.Write")));
		String five = "[" + String.join(",", java.util.Collections.nCopies(5, event())) + "]";
		assertThat(post(five, limited).statusCode()).isEqualTo(202);
		HttpResponse<String> refused = post(five, limited);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.body()).contains("'" + LIMITED_APP + "'");
	}

	@Test
	void neitherCredentialsNorPayloadsAreLogged(CapturedOutput output) {
		String sensor = "secret-sensor-" + UUID.randomUUID();
		String body = "{\"sensorId\": \"" + sensor + "\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}";
		String token = issuer.token(TestTokenIssuer.ISSUER, "api://someone-else", List.of("Events.Write"),
				Instant.now().plusSeconds(300));
		assertThat(post(body, TestApiKeys.WRITER_HEADER).statusCode()).isEqualTo(202);
		assertThat(post(body, Map.of("X-API-Key", "mr_leaked-guess")).statusCode()).isEqualTo(401);
		assertThat(post(body, Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(401);
		assertThat(post("{\"sensorId\": \"" + sensor + "\"}", TestApiKeys.WRITER_HEADER).statusCode()).isEqualTo(400);

		assertThat(output.getAll()).doesNotContain(TestApiKeys.WRITER, "mr_leaked-guess", token, sensor);
	}

	@Override
	public int managementPort() {
		return this.managementPort;
	}

	@Override
	public String adminKey() {
		return ADMIN;
	}

	@Override
	public String keyWithoutAdmin() {
		return TestApiKeys.WRITER;
	}

	/** Ingest consumes nothing: its one binding is the producer of telemetry-raw. */
	@Override
	public String binding() {
		return "telemetry";
	}

	/** A producer cannot be paused (the request is accepted and changes nothing). */
	@Override
	public List<String> adminChange() {
		return List.of("PAUSED", "RESUMED");
	}

	@Override
	public boolean adminChangeStopsTheBinding() {
		return false;
	}

	private HttpResponse<String> post(Map<String, String> headers) {
		return post(event(), headers);
	}

	private HttpResponse<String> post(String body, Map<String, String> headers) {
		return LocalHttp.post(api("/api/v1/events"), "application/json", body, headers);
	}

	private static String event() {
		return "{\"sensorId\": \"sec-" + UUID.randomUUID()
				+ "\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}";
	}

	private String api(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private String management(String path) {
		return "http://127.0.0.1:" + this.managementPort + path;
	}

}
