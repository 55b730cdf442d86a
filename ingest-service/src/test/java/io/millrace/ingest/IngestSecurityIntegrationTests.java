package io.millrace.ingest;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send events: API keys (either header), Entra ID tokens checked against a real
 * JWKS endpoint (signature, issuer, audience, expiry, app roles), per-client rate limits;
 * every refusal a problem detail; health and the contracts open.
 */
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0",
				"spring.security.oauth2.resourceserver.jwt.issuer-uri=" + IngestSecurityIntegrationTests.ISSUER,
				"spring.security.oauth2.resourceserver.jwt.audiences=" + IngestSecurityIntegrationTests.AUDIENCE,
				"millrace.ingest.rate-limit.clients.limited.events-per-second=0.1",
				"millrace.ingest.rate-limit.clients.limited.burst=5" })
class IngestSecurityIntegrationTests {

	static final String ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";

	static final String AUDIENCE = "api://millrace-ingest";

	static final String LIMITED = "mr_test-limited-key";

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final RSAKey signingKey = generateKey();

	static final RSAKey strangerKey = generateKey();

	static final HttpServer jwks = serveJwks();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
				() -> "http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys");
		TestApiKeys.register(registry);
		registry.add("millrace.security.api-keys[2].name", () -> "limited");
		registry.add("millrace.security.api-keys[2].hash", () -> ApiKeyHashes.sha256(LIMITED));
		registry.add("millrace.security.api-keys[2].scopes", () -> "events:write");
	}

	@AfterAll
	static void stop() {
		jwks.stop(0);
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
		assertThat(response.body()).contains("https://millrace.io/problems/forbidden", "test-reader", "[read]");
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
	}

	/** The counter of requests rejected as unauthorized, as Prometheus scrapes it. */
	private double unauthorizedRequests() {
		String series = "millrace_ingest_requests_rejected_total{application=\"ingest-service\",reason=\"unauthorized\"} ";
		return LocalHttp.get(management("/actuator/prometheus"))
			.body()
			.lines()
			.filter((line) -> line.startsWith(series))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length()).trim()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no series " + series));
	}

	@Test
	void anEntraTokenWithTheWriteRoleForThisApiIsAccepted() throws Exception {
		String token = token(signingKey, ISSUER, AUDIENCE, List.of("Events.Write"), Instant.now().plusSeconds(300));
		assertThat(post(Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(202);
	}

	@Test
	void anEntraTokenWithOnlyTheReadRoleIs403() throws Exception {
		String token = token(signingKey, ISSUER, AUDIENCE, List.of("Telemetry.Read"), Instant.now().plusSeconds(300));
		HttpResponse<String> response = post(Map.of("Authorization", "Bearer " + token));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("[read]");
	}

	@Test
	void entraTokensForAnotherAudienceIssuerOrKeyOrExpiredAre401() throws Exception {
		Instant later = Instant.now().plusSeconds(300);
		List<String> roles = List.of("Events.Write");
		for (String token : List.of(token(signingKey, ISSUER, "api://someone-else", roles, later),
				token(signingKey, "https://login.microsoftonline.com/other-tenant/v2.0", AUDIENCE, roles, later),
				token(strangerKey, ISSUER, AUDIENCE, roles, later),
				token(signingKey, ISSUER, AUDIENCE, roles, Instant.now().minusSeconds(600)))) {
			HttpResponse<String> response = post(Map.of("Authorization", "Bearer " + token));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
			assertThat(response.body()).contains("https://millrace.io/problems/unauthorized", "bearer token");
		}
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
	void neitherCredentialsNorPayloadsAreLogged(CapturedOutput output) throws Exception {
		String sensor = "secret-sensor-" + UUID.randomUUID();
		String body = "{\"sensorId\": \"" + sensor + "\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}";
		String token = token(signingKey, ISSUER, "api://someone-else", List.of("Events.Write"),
				Instant.now().plusSeconds(300));
		assertThat(post(body, TestApiKeys.WRITER_HEADER).statusCode()).isEqualTo(202);
		assertThat(post(body, Map.of("X-API-Key", "mr_leaked-guess")).statusCode()).isEqualTo(401);
		assertThat(post(body, Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(401);
		assertThat(post("{\"sensorId\": \"" + sensor + "\"}", TestApiKeys.WRITER_HEADER).statusCode()).isEqualTo(400);

		assertThat(output.getAll()).doesNotContain(TestApiKeys.WRITER, "mr_leaked-guess", token, sensor);
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

	/** An access token as Entra ID issues one to a daemon application. */
	private static String token(RSAKey key, String issuer, String audience, List<String> roles, Instant expires)
			throws JOSEException {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.audience(audience)
			.subject("service-principal-1")
			.claim("azp", "11111111-2222-3333-4444-555555555555")
			.claim("roles", roles)
			.issueTime(Date.from(expires.minusSeconds(3600)))
			.expirationTime(Date.from(expires))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static RSAKey generateKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpServer serveJwks() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			byte[] body = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			server.createContext("/keys", (exchange) -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
