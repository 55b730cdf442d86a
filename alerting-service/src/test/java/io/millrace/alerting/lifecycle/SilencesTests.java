package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static io.millrace.alerting.lifecycle.Inputs.P;
import static io.millrace.alerting.lifecycle.Inputs.T0;
import static io.millrace.alerting.lifecycle.Inputs.briefs;
import static io.millrace.alerting.lifecycle.Inputs.window;
import static org.assertj.core.api.Assertions.assertThat;

class SilencesTests {

	private static final Map<String, String> PUMP = Map.of("rule", "hot", "sensorId", "pump-1", "severity", "critical");

	@Test
	void matchersWorkLikeAlertmanagers() {
		assertThat(new SilenceMatcher("sensorId", "pump-1", false, true).matches("pump-1")).isTrue();
		assertThat(new SilenceMatcher("sensorId", "pump-.*", true, true).matches("pump-12")).isTrue();
		assertThat(new SilenceMatcher("sensorId", "pump", true, true).matches("pump-12")).as("whole value").isFalse();
		assertThat(new SilenceMatcher("severity", "info", false, false).matches("critical")).isTrue();
		assertThat(new SilenceMatcher("team", "ops", false, false).matches(null)).as("missing = empty").isTrue();
		assertThat(new SilenceMatcher("sensorId", "pump-.*", true, false).expression())
			.isEqualTo("sensorId!~\"pump-.*\"");
		assertThat(new SilenceMatcher("sensorId", "p", false, false).expression()).isEqualTo("sensorId!=\"p\"");
	}

	@Test
	void aSilenceSuppressesWhileActiveAndItsExpiryResumes() {
		Silences silences = new Silences();
		assertThat(silences.put(silence("maintenance", T0.plusSeconds(60), T0.plusSeconds(3600)))).isEmpty();
		assertThat(silences.isSilenced(PUMP, T0)).as("not started").isFalse();
		assertThat(silences.isSilenced(PUMP, T0.plusSeconds(60))).isTrue();
		assertThat(silences.silencing(PUMP, T0.plusSeconds(60))).containsExactly("maintenance");
		assertThat(silences.isSilenced(Map.of("sensorId", "fan-1"), T0.plusSeconds(60))).isFalse();
		assertThat(silences.isSilenced(PUMP, T0.plusSeconds(3600))).as("ended").isFalse();
		silences.expire("maintenance", T0.plusSeconds(120));
		assertThat(silences.isSilenced(PUMP, T0.plusSeconds(121))).as("expired early").isFalse();
		assertThat(silences.list(T0.plusSeconds(121))).singleElement().satisfies((listed) -> {
			assertThat(listed.state()).isEqualTo(SilenceState.EXPIRED);
			assertThat(listed.silence().createdBy()).isEqualTo("ana@example.com");
			assertThat(listed.silence().comment()).isEqualTo("replacing the pump");
		});
	}

	@Test
	void silencesSuppressNotificationsNotEvaluation() {
		AlertLifecycle engine = AlertLifecycleTests
			.engine(AlertLifecycleTests.hot("").replace("}", ",'selector':{'sensorIdPattern':'pump-*'}}"));
		Silences silences = new Silences();
		silences.put(silence("maintenance", T0, T0.plus(Duration.ofMinutes(3))));
		List<AlertEvent> published = new ArrayList<>();
		List<AlertEvent> notified = new ArrayList<>();
		double[] values = { 90, 60, 90, 60, 90 };
		for (int i = 0; i < values.length; i++) {
			for (AlertEvent event : engine.onAggregate(P, window("pump-1", "temperature", i, values[i]))) {
				published.add(event);
				// The notifier asks at the transition's time; here processing time is the
				// window end.
				if (!silences.isSilenced(event.labels(), event.window().end())) {
					notified.add(event);
				}
			}
		}
		assertThat(briefs(published)).containsExactly("firing@1", "resolved@2", "firing@3", "resolved@4", "firing@5");
		assertThat(briefs(notified)).as("the silence ends at minute 3")
			.containsExactly("firing@3", "resolved@4", "firing@5");
	}

	@Test
	void listingShowsActivePendingAndExpired() {
		Silences silences = new Silences();
		silences.put(silence("old", T0.minusSeconds(7200), T0.minusSeconds(3600)));
		silences.put(silence("later", T0.plusSeconds(3600), T0.plusSeconds(7200)));
		silences.put(silence("now", T0.minusSeconds(60), T0.plusSeconds(60)));
		assertThat(silences.list(T0)).extracting((listed) -> listed.silence().id() + ":" + listed.state().json())
			.containsExactly("now:active", "later:pending", "old:expired");
		assertThat(silences.inState(SilenceState.ACTIVE, T0)).extracting(Silence::id).containsExactly("now");
		assertThat(silences.delete("old")).isTrue();
		assertThat(silences.expire("missing", T0)).isEmpty();
	}

	@Test
	void invalidSilencesAreRefusedNamingTheField() {
		Silences silences = new Silences();
		Silence bad = new Silence("",
				List.of(new SilenceMatcher("sensorId", "(", true, true), new SilenceMatcher(" ", "x", false, true)), T0,
				T0, " ", null);
		assertThat(silences.put(bad)).extracting(FieldError::field)
			.containsExactlyInAnyOrder("/id", "/matchers/0/value", "/matchers/1/name", "/endsAt", "/createdBy",
					"/comment");
		Silence everything = new Silence("all", List.of(new SilenceMatcher("sensorId", ".*", true, true)), T0,
				T0.plusSeconds(1), "ana", "oops");
		assertThat(silences.put(everything)).extracting(FieldError::field).containsExactly("/matchers");
		assertThat(SilenceValidator.validate(new Silence("none", null, null, null, "a", "b")))
			.extracting(FieldError::field)
			.containsExactlyInAnyOrder("/matchers", "/startsAt", "/endsAt");
		assertThat(silences.list(T0)).isEmpty();
		assertThat(silences.replaceAll(List.of(bad, silence("ok", T0, T0.plusSeconds(1))))).containsExactly("");
		assertThat(silences.list(T0)).hasSize(1);
	}

	@Test
	void silencesReadAndWriteTheirJson() throws Exception {
		String json = "{\"id\":\"m\",\"matchers\":[{\"name\":\"sensorId\",\"value\":\"pump-.*\",\"isRegex\":true,"
				+ "\"isEqual\":true}],\"startsAt\":\"2026-11-25T10:00:00Z\",\"endsAt\":\"2026-11-25T11:00:00Z\","
				+ "\"createdBy\":\"ana@example.com\",\"comment\":\"replacing the pump\"}";
		Silence read = MillraceJson.mapper().readValue(json, Silence.class);
		assertThat(read).isEqualTo(silence("m", T0, T0.plusSeconds(3600)));
		assertThat(new String(MillraceJson.bytes(read))).isEqualTo(json);
	}

	private static Silence silence(String id, Instant startsAt, Instant endsAt) {
		return new Silence(id, List.of(new SilenceMatcher("sensorId", "pump-.*", true, true)), startsAt, endsAt,
				"ana@example.com", "replacing the pump");
	}

}
