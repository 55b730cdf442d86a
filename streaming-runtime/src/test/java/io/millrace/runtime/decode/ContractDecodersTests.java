package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryDecoderTests {

	private final TelemetryDecoder decoder = new TelemetryDecoder();

	@Test
	void decodesTheSeedsSnakeCaseSample() {
		TelemetryDecoder.Decoded decoded = decode(
				"{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}");
		assertThat(decoded.isValid()).isTrue();
		assertThat(decoded.event().sensorId()).isEqualTo("s1");
		assertThat(decoded.event().metrics()).containsEntry("value", 42.0);
	}

	@Test
	void rejectsWhatIsNotJson() {
		TelemetryDecoder.Decoded decoded = decode("{not json");
		assertThat(decoded.isValid()).isFalse();
		assertThat(decoded.reason()).isEqualTo("undecodable");
		assertThat(decoded.detail()).startsWith("not JSON");
		assertThat(decode("").reason()).isEqualTo("undecodable");
	}

	@Test
	void rejectsJsonThatBreaksTheContractNamingTheField() {
		TelemetryDecoder.Decoded decoded = decode("{\"sensorId\": \"s1\", \"value\": 1}");
		assertThat(decoded.reason()).isEqualTo("schema-invalid");
		assertThat(decoded.detail()).contains("/timestamp is required");
	}

	private TelemetryDecoder.Decoded decode(String payload) {
		return this.decoder.decode(payload.getBytes(StandardCharsets.UTF_8));
	}

}
