package io.millrace.simulator;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.telemetry.TelemetryEventValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SensorFleetTests {

	@Test
	void everySensorReportsOneValidEventPerTick() {
		SensorFleet fleet = new SensorFleet(12, 7);
		Instant now = Instant.parse("2026-11-25T10:00:00Z");
		List<TelemetryEvent> events = fleet.readingsAt(now);
		assertThat(events).hasSize(12);
		assertThat(events).extracting(TelemetryEvent::sensorId)
			.doesNotHaveDuplicates()
			.contains("pump-001", "pump-012");
		for (TelemetryEvent event : events) {
			JsonNode json = MillraceJson.mapper().valueToTree(event);
			assertThat(TelemetryEventValidator.validate(json, "")).isEmpty();
			assertThat(event.timestamp()).isEqualTo(now);
			assertThat(event.metrics()).containsOnlyKeys("temperature", "humidity", "pressure");
		}
	}

	@Test
	void aHotSensorCrossesTheDefaultAlertThresholdAndComesBack() {
		SensorFleet fleet = new SensorFleet(3, 1);
		Instant start = Instant.parse("2026-11-25T10:00:00Z");
		boolean wentHot = false;
		boolean cooledAfterwards = false;
		for (int second = 0; second < 720; second++) {
			double temperature = fleet.readingsAt(start.plusSeconds(second)).get(2).measurements().get("temperature");
			wentHot |= temperature > 80;
			cooledAfterwards |= wentHot && temperature < 75;
		}
		assertThat(wentHot).isTrue();
		assertThat(cooledAfterwards).isTrue();
	}

	@Test
	void anEmptyFleetIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SensorFleet(0, 1));
	}

}
