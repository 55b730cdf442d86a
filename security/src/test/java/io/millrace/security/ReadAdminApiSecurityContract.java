package io.millrace.security;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every API with {@code read} for queries and {@code admin} for changes promises, on
 * the running service: {@code 401} with a challenge and {@code 403} naming the scope, as
 * problem details; a read key, an admin key or an Entra ID token with the read role
 * reads; writes need admin; health and metrics stay open on the management port. A
 * service's test extends it, registers {@link #properties} from its
 * {@code @DynamicPropertySource} and names its paths.
 */
public abstract class ReadAdminApiSecurityContract {

	protected static final String READER = "mr_contract-reader-key";

	protected static final String WRITER = "mr_contract-writer-key";

	protected static final String ADMIN = "mr_contract-admin-key";

	/**
	 * The API keys and the token issuer the contract's requests use.
	 * @param registry the test's property registry
	 * @param issuer the token issuer
	 * @param audience the audience the service accepts
	 */
	protected static void properties(DynamicPropertyRegistry registry, TestTokenIssuer issuer, String audience) {
		issuer.register(registry, audience);
		ApiKeyFixture.register(registry, 0, "dashboard", READER, "read");
		ApiKeyFixture.register(registry, 1, "devices", WRITER, "events:write");
		ApiKeyFixture.register(registry, 2, "operator", ADMIN, "admin");
	}

	/**
	 * @return the application name the service's metrics carry
	 */
	protected abstract String application();

	/**
	 * @return the audience the service accepts
	 */
	protected abstract String audience();

	/**
	 * @return the token issuer registered with {@link #properties}
	 */
	protected abstract TestTokenIssuer issuer();

	/**
	 * @return a path a {@code read} scope may GET
	 */
	protected abstract String readPath();

	/**
	 * @return a path only {@code admin} may POST to; until the service has one, a path
	 * without a POST handler, so that an admin key gets past security to the API's own
	 * {@code 405}
	 */
	protected abstract String adminWritePath();

	/**
	 * @return the status an admin's POST of {@code {}} to {@link #adminWritePath} gets
	 */
	protected abstract int adminWriteStatus();

	protected abstract int port();

	protected abstract int managementPort();

	@Test
	public void withoutCredentialsTheApiAnswers401WithAProblemAndAChallenge() {
		HttpResponse<String> response = api(readPath(), Map.of());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("ApiKey realm=\"millrace\", Bearer realm=\"millrace\"");
		assertThat(response.body()).contains("https://millrace.io/problems/unauthorized", "X-API-Key");
		HttpResponse<String> unknown = api(readPath(), Map.of("X-API-Key", "mr_guessed"));
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).contains("Unknown API key").doesNotContain("mr_guessed");
	}

	@Test
	public void aReadKeyReadsAndAKeyWithoutReadIs403() {
		assertThat(api(readPath(), Map.of("X-API-Key", READER)).statusCode()).isEqualTo(200);
		assertThat(api(readPath(), Map.of("Authorization", "ApiKey " + READER)).statusCode()).isEqualTo(200);
		assertThat(api(readPath(), Map.of("X-API-Key", ADMIN)).statusCode()).isEqualTo(200);
		HttpResponse<String> writer = api(readPath(), Map.of("X-API-Key", WRITER));
		assertThat(writer.statusCode()).isEqualTo(403);
		assertThat(writer.body()).contains("https://millrace.io/problems/forbidden", "GET " + readPath()
				+ " needs the scope 'read' (or 'admin'); the credentials of 'devices' hold [events:write]");
	}

	@Test
	public void writesNeedAdmin() {
		HttpResponse<String> reader = post(adminWritePath(), READER);
		assertThat(reader.statusCode()).isEqualTo(403);
		assertThat(reader.body()).contains("POST " + adminWritePath() + " needs the scope 'admin'", "[read]");
		assertThat(post(adminWritePath(), ADMIN).statusCode()).isEqualTo(adminWriteStatus());
	}

	@Test
	public void anEntraTokenWithTheReadRoleReads() {
		String reader = issuer().token(audience(), List.of("Telemetry.Read"));
		assertThat(api(readPath(), bearer(reader)).statusCode()).isEqualTo(200);
		String devices = issuer().token(audience(), List.of("Events.Write"));
		assertThat(api(readPath(), bearer(devices)).statusCode()).isEqualTo(403);
		String otherApi = issuer().token(TestTokenIssuer.ISSUER, "api://another-millrace-api",
				List.of("Telemetry.Read"), Instant.now().plusSeconds(300));
		assertThat(api(readPath(), bearer(otherApi)).statusCode()).isEqualTo(401);
	}

	@Test
	public void healthAndMetricsNeedNoCredentials() {
		assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
		api(readPath(), Map.of());
		HttpResponse<String> metrics = management("/actuator/prometheus");
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body())
			.containsPattern("millrace_api_requests_rejected_total\\{application=\"" + application()
					+ "\",reason=\"unauthorized\"\\} [1-9]")
			.contains(
					"millrace_api_requests_rejected_total{application=\"" + application() + "\",reason=\"forbidden\"}");
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token);
	}

	private HttpResponse<String> api(String path, Map<String, String> headers) {
		return Http.send("GET", "http://127.0.0.1:" + port() + path, headers);
	}

	private HttpResponse<String> post(String path, String key) {
		return Http.send("POST", "http://127.0.0.1:" + port() + path,
				Map.of("X-API-Key", key, "Content-Type", "application/json"), "{}");
	}

	private HttpResponse<String> management(String path) {
		return Http.send("GET", "http://127.0.0.1:" + managementPort() + path, Map.of());
	}

}
