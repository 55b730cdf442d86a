package io.millrace.runtime.decode;

import java.nio.charset.StandardCharsets;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContractDecodersTests {

	private final Decoder<TelemetryEvent> events = ContractDecoders.telemetryEvents();

	private final Decoder<WindowAggregate> aggregates = ContractDecoders.windowAggregates();

	@Test
	void decodesTheSeedsSnakeCaseSample() {
		Decoded<TelemetryEvent> decoded = decode(this.events,
				"{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}");
		assertThat(decoded.isValid()).isTrue();
		assertThat(decoded.value().sensorId()).isEqualTo("s1");
		assertThat(decoded.value().metrics()).containsEntry("value", 42.0);
	}

	@Test
	void rejectsWhatIsNotJson() {
		for (Decoder<?> decoder : new Decoder<?>[] { this.events, this.aggregates, ContractDecoders.alertEvents() }) {
			Decoded<?> decoded = decode(decoder, "{not json");
			assertThat(decoded.isValid()).isFalse();
			assertThat(decoded.reason()).isEqualTo(DeadLetters.UNDECODABLE);
			assertThat(decoded.detail()).startsWith("not JSON");
			assertThat(decode(decoder, "").reason()).isEqualTo(DeadLetters.UNDECODABLE);
			assertThat(decode(decoder, "[1, 2]").reason()).isEqualTo(DeadLetters.SCHEMA_INVALID);
		}
	}

	@Test
	void rejectsJsonThatBreaksTheContractNamingTheField() {
		Decoded<TelemetryEvent> decoded = decode(this.events, "{\"sensorId\": \"s1\", \"value\": 1}");
		assertThat(decoded.reason()).isEqualTo(DeadLetters.SCHEMA_INVALID);
		assertThat(decoded.detail()).contains("/timestamp is required");
	}

	@Test
	void anAggregateNeedsItsWindowKeyAndACount() {
		Decoded<WindowAggregate> missing = decode(this.aggregates,
				"{\"sensorId\": \"s1\", \"window\": {\"kind\": \"tumbling\"}, \"count\": 0}");
		assertThat(missing.reason()).isEqualTo(DeadLetters.SCHEMA_INVALID);
		assertThat(missing.detail()).contains("/metric is required", "/window/start is required",
				"/window/end is required", "/count must be a positive integer");

		Decoded<WindowAggregate> valid = decode(this.aggregates, "{\"sensorId\": \"s1\", \"metric\": \"value\", "
				+ "\"window\": {\"kind\": \"tumbling\", \"start\": \"2026-02-05T10:00:00Z\", "
				+ "\"end\": \"2026-02-05T10:01:00Z\", \"size\": \"PT1M\"}, \"count\": 2, \"sum\": 3, \"min\": 1, "
				+ "\"max\": 2, \"avg\": 1.5, \"final\": true, \"revision\": 0, \"timing\": \"on-time\", "
				+ "\"emittedAt\": \"2026-02-05T10:01:05Z\"}");
		assertThat(valid.isValid()).isTrue();
		assertThat(valid.value().key().sensorId()).isEqualTo("s1");
		assertThat(valid.value().timing()).isEqualTo(WindowAggregate.ON_TIME);
	}

	private static <T> Decoded<T> decode(Decoder<T> decoder, String payload) {
		return decoder.decode(payload.getBytes(StandardCharsets.UTF_8));
	}

}
