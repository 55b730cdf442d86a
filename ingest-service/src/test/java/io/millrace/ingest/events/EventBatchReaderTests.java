package io.millrace.ingest.events;

import java.nio.charset.StandardCharsets;

import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventBatchReaderTests {

	private static final String GOOD = "{\"sensorId\": \"a\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}";

	private final EventBatchReader reader = new EventBatchReader(3);

	@Test
	void readsOneEventOrAnArrayOfThem() {
		assertThat(read("{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}").events())
			.extracting(TelemetryEvent::sensorId)
			.containsExactly("s1");
		assertThat(read("[" + GOOD + ", " + GOOD.replace("\"a\"", "\"b\"") + "]").events())
			.extracting(TelemetryEvent::sensorId)
			.containsExactly("a", "b");
	}

	@Test
	void reportsEveryBadEventWithItsIndexPointerAndReason() {
		assertThatExceptionOfType(InvalidEventsException.class)
			.isThrownBy(() -> read("[" + GOOD + ", {\"sensorId\": \"b\", \"value\": 1}, {\"value\": \"x\"}]"))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(BadEvent::index, BadEvent::pointer)
				.contains(org.assertj.core.groups.Tuple.tuple(1, "/1/timestamp"),
						org.assertj.core.groups.Tuple.tuple(2, "/2/sensorId")));
	}

	@Test
	void aSingleEventsPointersStartAtTheRootAndHaveNoIndex() {
		assertThatExceptionOfType(InvalidEventsException.class)
			.isThrownBy(() -> read("{\"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}"))
			.satisfies((ex) -> {
				assertThat(ex.problems().get(0).pointer()).isEqualTo("/sensorId");
				assertThat(ex.problems().get(0).index()).isNull();
			});
	}

	@Test
	void rejectsEmptyOversizedAndMalformedBodies() {
		assertThatExceptionOfType(InvalidEventsException.class).isThrownBy(() -> read("[]"));
		assertThatExceptionOfType(TooManyEventsException.class).isThrownBy(() -> read("[1, 2, 3, 4]"));
		assertThatExceptionOfType(MalformedBodyException.class).isThrownBy(() -> read("[{\"sensorId\": "));
		assertThatExceptionOfType(MalformedBodyException.class).isThrownBy(() -> read(""));
	}

	@Test
	void readsNdjsonLineByLineAndALineThatIsNotJsonIsOneBadEvent() {
		EventBatchReader.Items items = this.reader
			.parseNdjson(bytes(GOOD + "\n\n{not json\r\n" + GOOD.replace("\"a\"", "\"c\"") + "\n"));
		assertThat(items.items()).hasSize(3);
		EventBatchReader.Outcome outcome = this.reader.read(items, true);
		assertThat(outcome.events()).extracting(TelemetryEvent::sensorId).containsExactly("a", "c");
		assertThat(outcome.indexes()).containsExactly(0, 2);
		assertThat(outcome.bad()).singleElement().satisfies((bad) -> {
			assertThat(bad.index()).isEqualTo(1);
			assertThat(bad.pointer()).isEqualTo("/1");
			assertThat(bad.reason()).startsWith("is not JSON");
		});
		assertThatExceptionOfType(InvalidEventsException.class).isThrownBy(() -> this.reader.read(items, false));
	}

	@Test
	void acceptingTheValidOnesStillRejectsABatchWithNone() {
		EventBatchReader.Items items = this.reader.parseJson(bytes("[{\"value\": 1}, {\"sensorId\": \"x\"}]"));
		assertThatExceptionOfType(InvalidEventsException.class).isThrownBy(() -> this.reader.read(items, true));
	}

	private EventBatchReader.Outcome read(String json) {
		return this.reader.read(this.reader.parseJson(bytes(json)), false);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
