package io.millrace.security;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service's management port promises, on the running service: probes and the
 * Prometheus scrape answer without credentials; every other endpoint — above all
 * {@code POST /actuator/bindings/<binding>}, which stops or pauses a consumer — is
 * refused without credentials ({@code 401}) and without {@code admin} ({@code 403}) as
 * problem details, and the binding keeps running; an {@code admin} key changes the
 * binding's state, and readiness and {@code millrace_binding_running} say so until it
 * runs again; {@code GET /actuator/bindings} answers. A service's Spring Boot test
 * implements it on a context it already starts (a real broker), naming a binding and
 * keys.
 */
public interface ManagementPlaneContract {

	/** {@code millrace_binding_running{...,binding="<name>",...} <value>}. */
	String RUNNING_GAUGE = "millrace_binding_running\\{[^}]*binding=\"%s\"[^}]*\\} %s";

	/**
	 * @return the management port
	 */
	int managementPort();

	/**
	 * @return an API key with the {@code admin} scope
	 */
	String adminKey();

	/**
	 * @return an API key without {@code admin}
	 */
	String keyWithoutAdmin();

	/**
	 * @return the binding the test changes: a consumer where the service has one
	 */
	String binding();

	/**
	 * @return the state an admin sets, and the one that undoes it: {@code STOPPED} and
	 * {@code STARTED} for a consumer in a group; {@code PAUSED} and {@code RESUMED} for
	 * one without a group, which cannot be started again once stopped
	 */
	default List<String> adminChange() {
		return List.of("STOPPED", "STARTED");
	}

	/**
	 * @return whether {@link #adminChange} stops the binding, so readiness goes DOWN (not
	 * for a producer, which cannot be paused)
	 */
	default boolean adminChangeStopsTheBinding() {
		return true;
	}

	/**
	 * @return management paths besides {@code bindings} that need admin
	 */
	default List<String> protectedReads() {
		return List.of("/actuator", "/actuator/info");
	}

	@Test
	default void probesAndTheScrapeNeedNoCredentials() {
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
				"/actuator/prometheus")) {
			assertThat(managementGet(path, Map.of()).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(managementGet("/actuator/prometheus", Map.of()).body())
			.containsPattern(RUNNING_GAUGE.formatted(Pattern.quote(binding()), "1"));
	}

	@Test
	default void withoutCredentialsABindingCannotBeStoppedAndKeepsRunning() {
		HttpResponse<String> refused = changeState(binding(), "STOPPED", Map.of());
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("ApiKey realm=\"millrace\""));
		assertThat(refused.body()).contains("https://millrace.io/problems/unauthorized",
				"\"instance\":\"/actuator/bindings/" + binding() + "\"");
		assertThat(changeState(binding(), "PAUSED", Map.of()).statusCode()).isEqualTo(401);
		assertThat(stateOf(binding())).isEqualTo("running");
		assertThat(managementGet("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
	}

	@Test
	default void everyOtherManagementEndpointNeedsAdmin() {
		List<String> paths = new java.util.ArrayList<>(protectedReads());
		paths.add("/actuator/bindings");
		paths.add("/actuator/bindings/" + binding());
		for (String path : paths) {
			HttpResponse<String> anonymous = managementGet(path, Map.of());
			assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
			assertThat(anonymous.body()).as(path).contains("https://millrace.io/problems/unauthorized");
			HttpResponse<String> withoutAdmin = managementGet(path, Map.of("X-API-Key", keyWithoutAdmin()));
			assertThat(withoutAdmin.statusCode()).as(path).isEqualTo(403);
			assertThat(withoutAdmin.body()).as(path)
				.contains("https://millrace.io/problems/forbidden", "needs the scope 'admin'");
			assertThat(managementGet(path, Map.of("X-API-Key", adminKey())).statusCode()).as(path).isEqualTo(200);
		}
		HttpResponse<String> stop = changeState(binding(), "STOPPED", Map.of("X-API-Key", keyWithoutAdmin()));
		assertThat(stop.statusCode()).isEqualTo(403);
		assertThat(stateOf(binding())).isEqualTo("running");
	}

	@Test
	default void everyBindingIsListedForAnAdmin() {
		HttpResponse<String> bindings = managementGet("/actuator/bindings", Map.of("X-API-Key", adminKey()));
		assertThat(bindings.statusCode()).isEqualTo(200);
		assertThat(bindings.body()).startsWith("[").contains("\"bindingName\":\"" + binding() + "\"");
		HttpResponse<String> one = managementGet("/actuator/bindings/" + binding(), Map.of("X-API-Key", adminKey()));
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(one.body()).contains("\"state\":\"running\"");
	}

	@Test
	default void anAdminChangesABindingAndReadinessAndTheGaugeTellTheTruth() {
		Map<String, String> admin = Map.of("X-API-Key", adminKey());
		assertThat(changeState(binding(), adminChange().get(0), admin).statusCode()).isEqualTo(204);
		try {
			if (adminChangeStopsTheBinding()) {
				awaitUntil("readiness DOWN naming " + binding(), () -> {
					HttpResponse<String> readiness = managementGet("/actuator/health/readiness", Map.of());
					return readiness.statusCode() == 503 && readiness.body().contains("\"" + binding() + "\"");
				});
				assertThat(stateOf(binding())).isIn("stopped", "paused");
				assertThat(managementGet("/actuator/prometheus", Map.of()).body())
					.containsPattern(RUNNING_GAUGE.formatted(Pattern.quote(binding()), "0"));
			}
		}
		finally {
			assertThat(changeState(binding(), adminChange().get(1), admin).statusCode()).isEqualTo(204);
		}
		awaitUntil("readiness UP again",
				() -> managementGet("/actuator/health/readiness", Map.of()).statusCode() == 200);
		assertThat(stateOf(binding())).isEqualTo("running");
		assertThat(managementGet("/actuator/prometheus", Map.of()).body())
			.containsPattern(RUNNING_GAUGE.formatted(Pattern.quote(binding()), "1"));
	}

	/**
	 * @param binding a binding
	 * @return its state as {@code GET /actuator/bindings/<binding>} tells an admin
	 */
	default String stateOf(String binding) {
		HttpResponse<String> response = managementGet("/actuator/bindings/" + binding, Map.of("X-API-Key", adminKey()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		java.util.regex.Matcher state = Pattern.compile("\"state\":\"([^\"]*)\"").matcher(response.body());
		assertThat(state.find()).as(response.body()).isTrue();
		return state.group(1);
	}

	default HttpResponse<String> changeState(String binding, String state, Map<String, String> headers) {
		Map<String, String> all = new java.util.HashMap<>(headers);
		all.put("Content-Type", "application/json");
		return Http.send("POST", management("/actuator/bindings/" + binding), all, "{\"state\":\"" + state + "\"}");
	}

	default HttpResponse<String> managementGet(String path, Map<String, String> headers) {
		return Http.send("GET", management(path), headers);
	}

	private String management(String path) {
		return "http://127.0.0.1:" + managementPort() + path;
	}

	private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Not within 20 s: " + what);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
