package io.millrace.security;

import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared security on a real server: a small API with a path per scope, API keys in
 * either header, Entra ID tokens checked against a real JWKS endpoint, {@code admin}
 * implying every scope, problem details for every refusal, the management port open.
 */
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ApiSecurityTests.TestApi.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.endpoints.web.exposure.include=health,info,prometheus",
				"management.endpoint.health.probes.enabled=true", "spring.application.name=test-api" })
class ApiSecurityTests {

	static final String AUDIENCE = "api://millrace-test";

	static final String READER = "mr_test-reader-key";

	static final String WRITER = "mr_test-writer-key";

	static final String ADMIN = "mr_test-admin-key";

	static final TestTokenIssuer issuer = TestTokenIssuer.start();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void credentials(DynamicPropertyRegistry registry) {
		ApiKeyFixture.register(registry, 0, "reader", READER, "read");
		ApiKeyFixture.register(registry, 1, "writer", WRITER, "events:write");
		ApiKeyFixture.register(registry, 2, "operator", ADMIN, "admin");
		issuer.register(registry, AUDIENCE);
	}

	@AfterAll
	static void stop() {
		issuer.close();
	}

	@Test
	void withoutCredentialsTheApiAnswers401WithAProblemAndAChallenge() {
		HttpResponse<String> response = call("GET", "/api/v1/things", Map.of());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValue("ApiKey realm=\"millrace\", Bearer realm=\"millrace\"");
		assertThat(response.body()).contains("\"type\":\"https://millrace.io/problems/unauthorized\"",
				"\"title\":\"Unauthorized\"", "\"status\":401", "X-API-Key", "Authorization: Bearer",
				"\"instance\":\"/api/v1/things\"");
	}

	@Test
	void anUnknownKeyIs401InEitherHeaderAndIsNotEchoed() {
		for (Map<String, String> headers : List.of(Map.of("X-API-Key", "mr_guessed-key"),
				Map.of("Authorization", "ApiKey mr_guessed-key"))) {
			HttpResponse<String> response = call("GET", "/api/v1/things", headers);
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.body()).contains("Unknown API key").doesNotContain("mr_guessed-key");
		}
	}

	@Test
	void aKeyIsAcceptedInEitherHeaderAndNamesTheCaller() {
		assertThat(call("GET", "/api/v1/things", Map.of("X-API-Key", READER)).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/things", Map.of("Authorization", "ApiKey " + READER)).statusCode())
			.isEqualTo(200);
		assertThat(call("GET", "/api/v1/things", Map.of("Authorization", "apikey " + READER)).statusCode())
			.isEqualTo(200);
		HttpResponse<String> sent = call("POST", "/api/v1/events", Map.of("X-API-Key", WRITER));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).isEqualTo("writer");
	}

	@Test
	void aKeyWithoutTheScopeOfThePathIs403AndTheProblemSaysWhichScope() {
		HttpResponse<String> write = call("POST", "/api/v1/things", Map.of("X-API-Key", READER));
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(write.body()).contains("\"type\":\"https://millrace.io/problems/forbidden\"",
				"POST /api/v1/things needs the scope 'admin'; the credentials of 'reader' hold [read]");
		HttpResponse<String> read = call("GET", "/api/v1/things", Map.of("X-API-Key", WRITER));
		assertThat(read.statusCode()).isEqualTo(403);
		assertThat(read.body()).contains("needs the scope 'read' (or 'admin')", "[events:write]");
		assertThat(call("POST", "/api/v1/events", Map.of("X-API-Key", READER)).statusCode()).isEqualTo(403);
	}

	@Test
	void adminImpliesEveryScope() {
		Map<String, String> admin = Map.of("X-API-Key", ADMIN);
		assertThat(call("GET", "/api/v1/things", admin).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/api/v1/things", admin).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/api/v1/events", admin).statusCode()).isEqualTo(200);
	}

	@Test
	void pathsNoRuleNamesNeedCredentialsOfAnyScope() {
		assertThat(call("GET", "/api/v1/whoami", Map.of()).statusCode()).isEqualTo(401);
		HttpResponse<String> known = call("GET", "/api/v1/whoami", Map.of("X-API-Key", WRITER));
		assertThat(known.statusCode()).isEqualTo(200);
		assertThat(known.body()).isEqualTo("writer");
		assertThat(call("GET", "/api/v1/nothing-here", Map.of("X-API-Key", WRITER)).statusCode()).isEqualTo(404);
	}

	@Test
	void contractsAndManagementNeedNoCredentials() {
		assertThat(call("GET", "/api/v1/schemas/thing", Map.of()).statusCode()).isEqualTo(200);
		assertThat(Http.send("GET", management("/actuator/health"), Map.of()).statusCode()).isEqualTo(200);
		assertThat(Http.send("GET", management("/actuator/prometheus"), Map.of()).statusCode()).isEqualTo(200);
	}

	@Test
	void onTheManagementPortOnlyProbesAndScrapesAreOpenAndTheRestNeedsAdmin() {
		for (String open : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/prometheus")) {
			assertThat(Http.send("GET", management(open), Map.of()).statusCode()).as(open).isEqualTo(200);
		}
		for (String closed : List.of("/actuator", "/actuator/info")) {
			HttpResponse<String> anonymous = Http.send("GET", management(closed), Map.of());
			assertThat(anonymous.statusCode()).as(closed).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("ApiKey realm=\"millrace\""));
			assertThat(anonymous.body()).contains("https://millrace.io/problems/unauthorized");
			HttpResponse<String> reader = Http.send("GET", management(closed), Map.of("X-API-Key", READER));
			assertThat(reader.statusCode()).as(closed).isEqualTo(403);
			assertThat(reader.body()).contains("https://millrace.io/problems/forbidden",
					"GET " + closed + " needs the scope 'admin'; the credentials of 'reader' hold [read]");
			assertThat(Http.send("GET", management(closed), Map.of("X-API-Key", ADMIN)).statusCode()).as(closed)
				.isEqualTo(200);
			assertThat(Http.send("GET", management(closed), bearer(issuer.token(AUDIENCE, List.of("Platform.Admin"))))
				.statusCode()).as(closed).isEqualTo(200);
		}
		// The management paths are not on the API's port: there they are just unknown
		// paths.
		assertThat(call("GET", "/actuator/health", Map.of()).statusCode()).isEqualTo(401);
	}

	@Test
	void refusalsAreCountedByReason() {
		call("GET", "/api/v1/things", Map.of());
		call("POST", "/api/v1/things", Map.of("X-API-Key", READER));
		String metrics = Http.send("GET", management("/actuator/prometheus"), Map.of()).body();
		assertThat(metrics)
			.containsPattern("millrace_api_requests_rejected_total\\{[^}]*reason=\"unauthorized\"[^}]*\\} [1-9]")
			.containsPattern("millrace_api_requests_rejected_total\\{[^}]*reason=\"forbidden\"[^}]*\\} [1-9]");
	}

	@Test
	void anEntraTokenGrantsTheScopesOfItsAppRolesAndNamesTheClientApplication() {
		String reader = issuer.token(AUDIENCE, List.of("Telemetry.Read"));
		assertThat(call("GET", "/api/v1/things", bearer(reader)).statusCode()).isEqualTo(200);
		HttpResponse<String> write = call("POST", "/api/v1/things", bearer(reader));
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(write.body()).contains("'" + TestTokenIssuer.CLIENT + "' hold [read]");
		String admin = issuer.token(AUDIENCE, List.of("Platform.Admin"));
		assertThat(call("POST", "/api/v1/things", bearer(admin)).statusCode()).isEqualTo(200);
		HttpResponse<String> sent = call("POST", "/api/v1/events",
				bearer(issuer.token(AUDIENCE, List.of("Events.Write"))));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).isEqualTo(TestTokenIssuer.CLIENT);
	}

	@Test
	void delegatedScopesCountAsRolesDo() {
		assertThat(
				call("GET", "/api/v1/things", bearer(issuer.delegatedToken(AUDIENCE, "Telemetry.Read"))).statusCode())
			.isEqualTo(200);
		assertThat(
				call("GET", "/api/v1/things", bearer(issuer.delegatedToken(AUDIENCE, "User.Read read"))).statusCode())
			.isEqualTo(200);
		assertThat(call("GET", "/api/v1/things", bearer(issuer.delegatedToken(AUDIENCE, "User.Read"))).statusCode())
			.isEqualTo(403);
	}

	@Test
	void entraTokensForAnotherAudienceIssuerOrKeyOrExpiredAre401() {
		Instant later = Instant.now().plusSeconds(300);
		List<String> roles = List.of("Telemetry.Read");
		for (String token : List.of(issuer.token(TestTokenIssuer.ISSUER, "api://someone-else", roles, later),
				issuer.token("https://login.microsoftonline.com/other-tenant/v2.0", AUDIENCE, roles, later),
				issuer.signedByStranger(AUDIENCE, roles),
				issuer.token(TestTokenIssuer.ISSUER, AUDIENCE, roles, Instant.now().minusSeconds(600)))) {
			HttpResponse<String> response = call("GET", "/api/v1/things", bearer(token));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
			assertThat(response.body()).contains("https://millrace.io/problems/unauthorized", "bearer token");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
		}
	}

	@Test
	void credentialsAreNeverLogged(CapturedOutput output) {
		String stranger = issuer.signedByStranger(AUDIENCE, List.of("Telemetry.Read"));
		call("GET", "/api/v1/things", Map.of("X-API-Key", READER));
		call("GET", "/api/v1/things", Map.of("X-API-Key", "mr_leaked-guess"));
		call("GET", "/api/v1/things", bearer(stranger));
		assertThat(output.getAll()).doesNotContain(READER, "mr_leaked-guess", stranger);
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token);
	}

	private HttpResponse<String> call(String method, String path, Map<String, String> headers) {
		return Http.send(method, "http://127.0.0.1:" + this.port + path, headers);
	}

	private String management(String path) {
		return "http://127.0.0.1:" + this.managementPort + path;
	}

	/** A service with a path per scope, as a service declares them. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(TestController.class)
	static class TestApi {

		@Bean
		ApiAccessRules testAccessRules() {
			return ApiAccessRules.builder()
				.require(Scopes.EVENTS_WRITE, HttpMethod.POST, "/api/v1/events")
				.reads(Scopes.READ, "/api/v1/things/**")
				.writes(Scopes.ADMIN, "/api/v1/things/**")
				.build();
		}

	}

	@RestController
	static class TestController {

		@GetMapping("/api/v1/things")
		String things() {
			return "things";
		}

		@PostMapping("/api/v1/things")
		String change() {
			return "changed";
		}

		@PostMapping("/api/v1/events")
		String events(Principal caller) {
			return caller.getName();
		}

		@GetMapping("/api/v1/whoami")
		String whoami(Principal caller) {
			return caller.getName();
		}

		@GetMapping("/api/v1/schemas/thing")
		String schema() {
			return "{}";
		}

	}

}
