package io.millrace.model.alert;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.millrace.model.json.MillraceJson;

import static org.assertj.core.api.Assertions.assertThat;

class AlertEventTests {

	@Test
	void shouldWriteStatusInLowerCaseAndRoundTrip() throws Exception {
		AlertEvent alert = new AlertEvent("a-1", "high-temperature", "fp", AlertStatus.FIRING, "critical", "s1",
				"value", 91.0, 80.0, null, Instant.parse("2026-02-05T10:01:00Z"), null, Map.of("rule", "r"),
				Map.of("summary", "hot"));

		String json = MillraceJson.mapper().writeValueAsString(alert);
		JsonNode tree = MillraceJson.mapper().readTree(json);

		assertThat(tree.get("status").asText()).isEqualTo("firing");
		assertThat(tree.has("endsAt")).isFalse();
		assertThat(MillraceJson.mapper().readValue(json, AlertEvent.class)).isEqualTo(alert);
	}

}
