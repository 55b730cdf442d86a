package io.millrace.model.telemetry;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.millrace.model.json.MillraceJson;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryEventTests {

	@Test
	void shouldAcceptTheSeedSnakeCaseSampleAsItIs() throws Exception {
		TelemetryEvent event = MillraceJson.mapper()
			.readValue("{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}",
					TelemetryEvent.class);

		assertThat(event.sensorId()).isEqualTo("s1");
		assertThat(event.value()).isEqualTo(42.0);
		assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-02-05T10:00:00Z"));
		assertThat(event.metrics()).containsExactly(Map.entry("value", 42.0));
	}

	@Test
	void shouldReadOffsetsAsTheSameInstant() throws Exception {
		TelemetryEvent event = MillraceJson.mapper()
			.readValue("{\"sensorId\": \"s1\", \"value\": 1, \"timestamp\": \"2026-02-05T11:00:00+01:00\"}",
					TelemetryEvent.class);

		assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-02-05T10:00:00Z"));
	}

	@Test
	void shouldWriteCanonicalCamelCaseAndReadItBack() throws Exception {
		TelemetryEvent event = new TelemetryEvent("e-1", "pump-7", Instant.parse("2026-02-05T10:00:00.250Z"), null,
				Map.of("temperature", 71.5), Map.of("site", "rotterdam"), 1, Instant.parse("2026-02-05T10:00:01Z"));

		String json = MillraceJson.mapper().writeValueAsString(event);
		JsonNode tree = MillraceJson.mapper().readTree(json);

		assertThat(tree.fieldNames()).toIterable()
			.containsExactlyInAnyOrder("eventId", "sensorId", "timestamp", "measurements", "tags", "schemaVersion",
					"ingestedAt");
		assertThat(tree.get("timestamp").asText()).isEqualTo("2026-02-05T10:00:00.250Z");
		assertThat(MillraceJson.mapper().readValue(json, TelemetryEvent.class)).isEqualTo(event);
	}

	@Test
	void metricsShouldHoldValueAndMeasurementsTogether() {
		TelemetryEvent event = new TelemetryEvent(null, "s1", Instant.EPOCH, 3.0, Map.of("rpm", 900.0), null, null,
				null);

		assertThat(event.metrics()).containsOnly(Map.entry("value", 3.0), Map.entry("rpm", 900.0));
	}

	@Test
	void stampingShouldKeepAClientIdAndAssignOneOtherwise() {
		Instant now = Instant.parse("2026-02-05T10:00:00Z");
		TelemetryEvent withId = new TelemetryEvent("client-id", "s1", Instant.EPOCH, 1.0, null, null, null, null);
		TelemetryEvent withoutId = new TelemetryEvent(null, "s1", Instant.EPOCH, 1.0, null, null, null, null);

		assertThat(withId.stamped("server-id", now).eventId()).isEqualTo("client-id");
		assertThat(withoutId.stamped("server-id", now).eventId()).isEqualTo("server-id");
		assertThat(withoutId.stamped("server-id", now).ingestedAt()).isEqualTo(now);
		assertThat(withoutId.stamped("server-id", now).schemaVersion())
			.isEqualTo(TelemetryEvent.CURRENT_SCHEMA_VERSION);
	}

}
