package io.millrace.model.telemetry;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.millrace.model.json.MillraceJson;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryEventValidatorTests {

	@Test
	void shouldAcceptTheSeedSample() {
		assertThat(validate("{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}", ""))
			.isEmpty();
	}

	@Test
	void shouldAcceptMeasurementsWithoutValueAndKeepUnknownFieldsLegal() {
		assertThat(validate("{\"sensorId\": \"s1\", \"timestamp\": \"2026-02-05T10:00:00+02:00\","
				+ " \"measurements\": {\"t\": 1.5}, \"firmware\": \"v2\"}", ""))
			.isEmpty();
	}

	@Test
	void shouldNameEveryMissingRequiredFieldWithItsPointer() {
		assertThat(validate("{}", "/3")).extracting(Violation::pointer)
			.containsExactly("/3/sensorId", "/3/timestamp", "/3/value");
	}

	@Test
	void shouldRejectWrongTypes() {
		List<Violation> violations = validate(
				"{\"sensorId\": 7, \"timestamp\": 1700000000, \"value\": \"42\"," + " \"tags\": {\"site\": 1}}", "");

		assertThat(violations).extracting(Violation::pointer)
			.containsExactly("/sensorId", "/timestamp", "/value", "/tags/site");
	}

	@Test
	void shouldRejectATimestampWithoutOffset() {
		assertThat(validate("{\"sensorId\": \"s\", \"timestamp\": \"2026-02-05T10:00:00\", \"value\": 1}", ""))
			.extracting(Violation::pointer)
			.containsExactly("/timestamp");
	}

	@Test
	void shouldRejectNonNumericMeasurementsNamingTheMetric() {
		assertThat(validate("{\"sensorId\": \"s\", \"timestamp\": \"2026-02-05T10:00:00Z\","
				+ " \"measurements\": {\"a/b\": \"x\", \"ok\": 1}}", ""))
			.containsExactly(new Violation("/measurements/a~1b", "must be a finite number"));
	}

	@Test
	void shouldRejectAnythingButAnObject() {
		assertThat(validate("[1]", "/0")).containsExactly(new Violation("/0", "must be a JSON object"));
		assertThat(validate("\"x\"", "")).containsExactly(new Violation("/", "must be a JSON object"));
	}

	private static List<Violation> validate(String json, String pointer) {
		try {
			JsonNode node = MillraceJson.mapper().readTree(json);
			return TelemetryEventValidator.validate(node, pointer);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
