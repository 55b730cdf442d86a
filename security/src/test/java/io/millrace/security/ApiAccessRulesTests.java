package io.millrace.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which scope a request needs: the first rule that matches it decides. */
class ApiAccessRulesTests {

	final ApiAccessRules rules = ApiAccessRules.concat(List.of(ApiSecurityAutoConfiguration.SHARED_OPEN_PATHS,
			ApiAccessRules.builder().reads(Scopes.READ, "/api/v1/**").writes(Scopes.ADMIN, "/api/v1/**").build()));

	@Test
	void readsNeedReadAndWritesNeedAdmin() {
		assertThat(this.rules.requiredScope(request("GET", "/api/v1/sensors"))).hasValue(Scopes.READ);
		assertThat(this.rules.requiredScope(request("HEAD", "/api/v1/sensors/s1/aggregates"))).hasValue(Scopes.READ);
		for (String method : new String[] { "POST", "PUT", "PATCH", "DELETE" }) {
			assertThat(this.rules.requiredScope(request(method, "/api/v1/rules/r1"))).as(method).hasValue(Scopes.ADMIN);
		}
	}

	@Test
	void theSharedOpenPathsComeFirst() {
		assertThat(this.rules.requiredScope(request("GET", "/api/v1/schemas/telemetry-event"))).isEmpty();
		assertThat(this.rules.requiredScope(request("GET", "/v3/api-docs"))).isEmpty();
		assertThat(this.rules.requiredScope(request("GET", "/v3/api-docs/swagger-config"))).isEmpty();
		assertThat(this.rules.requiredScope(request("GET", "/swagger-ui/index.html"))).isEmpty();
		// Open for reading only: a write to the schemas is a write like any other.
		assertThat(this.rules.requiredScope(request("POST", "/api/v1/schemas/telemetry-event"))).hasValue(Scopes.ADMIN);
	}

	@Test
	void aRequestNoRuleNamesNeedsNoParticularScope() {
		assertThat(this.rules.requiredScope(request("OPTIONS", "/api/v1/sensors"))).isEmpty();
		assertThat(this.rules.requiredScope(request("GET", "/other"))).isEmpty();
	}

	@Test
	void unknownScopesAndRelativePatternsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiAccessRules.builder().require("write", HttpMethod.POST, "/api/v1/events"))
			.withMessageContaining("'write' is not a scope");
		assertThatIllegalArgumentException().isThrownBy(() -> ApiAccessRules.builder().reads(Scopes.READ, "api/v1/**"))
			.withMessageContaining("must start with '/'");
		assertThatIllegalArgumentException().isThrownBy(() -> ApiAccessRules.builder().reads(Scopes.READ))
			.withMessageContaining("at least one path pattern");
	}

	private static MockHttpServletRequest request(String method, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		request.setServletPath(path);
		return request;
	}

}
