package io.millrace.security;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with the security module and nothing configured: no key, no issuer. Every API
 * request is refused, and the problem says how to authenticate; the contracts stay open.
 */
@SpringBootTest(classes = ApiSecurityTests.TestApi.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=health,info")
class ApiSecurityClosedByDefaultTests {

	@LocalServerPort
	int port;

	@Test
	void everyApiRequestIs401AndTheChallengeNamesOnlyApiKeys() {
		for (String path : new String[] { "/api/v1/things", "/api/v1/events", "/api/v1/whoami", "/anything" }) {
			HttpResponse<String> response = call(path, Map.of());
			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey realm=\"millrace\"");
			assertThat(response.body()).contains("https://millrace.io/problems/unauthorized").doesNotContain("Bearer");
		}
	}

	@Test
	void anyKeyIsUnknown() {
		HttpResponse<String> response = call("/api/v1/things", Map.of("X-API-Key", "mr_anything"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("Unknown API key");
	}

	@Test
	void aBearerTokenOrAnotherSchemeIsRefusedWithAnExplanation() {
		HttpResponse<String> bearer = call("/api/v1/things", Map.of("Authorization", "Bearer eyJhbGciOi.x.y"));
		assertThat(bearer.statusCode()).isEqualTo(401);
		assertThat(bearer.body()).contains("not configured for bearer tokens").doesNotContain("eyJhbGciOi");
		HttpResponse<String> basic = call("/api/v1/things", Map.of("Authorization", "Basic dXNlcjpwYXNz"));
		assertThat(basic.statusCode()).isEqualTo(401);
		assertThat(basic.body()).contains("scheme is not accepted").doesNotContain("dXNlcjpwYXNz");
	}

	@Test
	void onASharedPortHealthStaysOpenAndOtherManagementEndpointsAreClosed() {
		assertThat(call("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
		assertThat(call("/actuator/info", Map.of()).statusCode()).isEqualTo(401);
		assertThat(call("/actuator", Map.of()).statusCode()).isEqualTo(401);
	}

	@Test
	void theContractsStayOpen() {
		assertThat(call("/api/v1/schemas/thing", Map.of()).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> call(String path, Map<String, String> headers) {
		return Http.send("GET", "http://127.0.0.1:" + this.port + path, headers);
	}

}
