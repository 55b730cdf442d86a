package io.millrace.ingest.events;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.telemetry.Violation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventBatchReaderTests {

	private final EventBatchReader reader = new EventBatchReader(3);

	@Test
	void readsOneEventOrAnArrayOfThem() {
		assertThat(this.reader
			.read(json("{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}")))
			.extracting(TelemetryEvent::sensorId)
			.containsExactly("s1");
		List<TelemetryEvent> events = this.reader
			.read(json("[{\"sensorId\": \"a\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"},"
					+ "{\"sensorId\": \"b\", \"measurements\": {\"t\": 2}, \"timestamp\": \"2026-02-05T10:00:01+01:00\"}]"));
		assertThat(events).extracting(TelemetryEvent::sensorId).containsExactly("a", "b");
	}

	@Test
	void reportsEveryViolationWithItsPointerIntoTheBatch() {
		assertThatExceptionOfType(InvalidEventsException.class)
			.isThrownBy(() -> this.reader
				.read(json("[{\"sensorId\": \"a\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"},"
						+ "{\"value\": \"hot\", \"timestamp\": \"yesterday\"}]")))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(Violation::pointer)
				.containsExactlyInAnyOrder("/1/sensorId", "/1/timestamp", "/1/value"));
	}

	@Test
	void aSingleEventsPointersStartAtTheRoot() {
		assertThatExceptionOfType(InvalidEventsException.class)
			.isThrownBy(() -> this.reader.read(json("{\"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}")))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(Violation::pointer).containsExactly("/sensorId"));
	}

	@Test
	void rejectsEmptyAndOversizedBatches() {
		assertThatExceptionOfType(InvalidEventsException.class).isThrownBy(() -> this.reader.read(json("[]")));
		assertThatExceptionOfType(TooManyEventsException.class).isThrownBy(() -> this.reader.read(json("[1, 2, 3, 4]")))
			.withMessageContaining("limit is 3");
	}

	private static JsonNode json(String text) {
		try {
			return MillraceJson.mapper().readTree(text);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
