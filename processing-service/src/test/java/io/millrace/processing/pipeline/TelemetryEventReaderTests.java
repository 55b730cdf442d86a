package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass reader must decide every record exactly as the shared contract decoder
 * does: the same event, or the same dead-letter reason and detail.
 */
class TelemetryEventReaderTests {

	private final Decoder<TelemetryEvent> reader = new TelemetryEventReader();

	private final Decoder<TelemetryEvent> contract = ContractDecoders.telemetryEvents();

	@Test
	void readsTheCommonShapeItselfAndAgreesWithTheContractDecoder() {
		String json = "{\"eventId\":\"e1\",\"sensorId\":\"s-1\",\"timestamp\":\"2026-11-25T00:00:01.5Z\",\"value\":42,"
				+ "\"measurements\":{\"t\":1.5,\"h\":-2E3},\"tags\":{\"site\":\"a\"},\"schemaVersion\":1,"
				+ "\"ingestedAt\":\"2026-11-25T00:00:02+01:00\"}";
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		assertThat(TelemetryEventReader.readCommonShape(payload)).isNotNull();
		Decoded<TelemetryEvent> decoded = this.reader.decode(payload);
		assertThat(decoded.isValid()).isTrue();
		assertThat(decoded).isEqualTo(this.contract.decode(payload));
	}

	@Test
	void leavesEverythingElseToTheContractDecoder() {
		List<String> documents = List.of("", " ", "null", "[]", "42", "\"x\"", "{", "{}", "{\"sensorId\":\"s\"}",
				"{\"sensor_id\": \"s1\", \"value\": 42, \"timestamp\": \"2026-02-05T10:00:00Z\"}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":null}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1e400}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":123456789012345678901234567890}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":\"1\"}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"value\":2}",
				"{\"sensorId\":\"s\",\"sensorId\":\"t\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\" 2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05\",\"value\":1}",
				"{\"sensorId\":\" \",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"" + "x".repeat(129) + "\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"" + "x".repeat(128) + "\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"measurements\":{}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"measurements\":{\" \":1}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"measurements\":{\"a\":1,\"a\":2}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"measurements\":[1]}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"tags\":{\"a\":1}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"tags\":[]}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"schemaVersion\":0}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"schemaVersion\":2.0}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"schemaVersion\":9999999999}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"unknown\":{\"x\":[1]}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1} trailing",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1}{}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":-0}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":-0.0}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":9007199254740993}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":0.1e-400}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"eventId\":null}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,\"ingestedAt\":\"x\"}",
				"{\"sensorId\":\"s\",\"event_time\":\"2026-02-05T10:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-02-05T10:00:00Z\",\"value\":1,", "{'sensorId':'s'}",
				"\u00ff\u00fe");
		for (String document : documents) {
			assertSameDecision(document.getBytes(StandardCharsets.UTF_8));
		}
		assertSameDecision(new byte[] { (byte) 0xC3, (byte) 0x28 });
	}

	/** Documents assembled at random from valid and invalid pieces. */
	@Test
	void decidesGeneratedDocumentsAsTheContractDecoderDoes() {
		Random random = new Random(7);
		String[] ids = { "\"e1\"", "\"\"", "\" \"", "null", "1", "\"" + "é".repeat(128) + "\"",
				"\"" + "é".repeat(129) + "\"", "\"\\u00e9x\"" };
		String[] times = { "\"2026-11-25T00:00:00Z\"", "\"2026-11-25T00:00:00.123456789+05:30\"",
				"\"2026-11-25t00:00:00z\"", "\"2026-13-25T00:00:00Z\"", "\"2026-11-25T00:00:60Z\"", "null", "0",
				"\"2026-11-25T00:00:00\"" };
		String[] numbers = { "1", "-1.5", "1e308", "1e309", "-0", "2.5E-3", "\"1\"", "null", "true", "[]",
				"12345678901234567890" };
		String[] versions = { "1", "2", "0", "-1", "1.0", "1.5", "null", "\"1\"" };
		String[] names = { "eventId", "event_id", "sensorId", "sensor_id", "timestamp", "eventTime", "value",
				"measurements", "tags", "schemaVersion", "ingestedAt", "ingested_at", "other" };
		int fast = 0;
		for (int i = 0; i < 20_000; i++) {
			List<String> members = new ArrayList<>();
			for (String name : names) {
				if (random.nextInt(100) < presence(name)) {
					members.add("\"" + name + "\":" + piece(name, random, ids, times, numbers, versions));
				}
			}
			if (random.nextInt(20) == 0 && !members.isEmpty()) {
				members.add(members.get(random.nextInt(members.size())));
			}
			Collections.shuffle(members, random);
			byte[] payload = ("{" + String.join(",", members) + "}").getBytes(StandardCharsets.UTF_8);
			if (TelemetryEventReader.readCommonShape(payload) != null) {
				fast++;
			}
			assertSameDecision(payload);
		}
		// The generator must exercise both paths.
		assertThat(fast).isBetween(1_000, 19_000);
	}

	/** Percent of documents a member appears in. */
	private static int presence(String name) {
		return switch (name) {
			case "sensorId", "timestamp", "value" -> 90;
			case "eventId", "measurements", "tags", "schemaVersion", "ingestedAt" -> 40;
			default -> 8;
		};
	}

	private static String piece(String name, Random random, String[] ids, String[] times, String[] numbers,
			String[] versions) {
		return switch (name) {
			case "eventId", "event_id", "sensorId", "sensor_id" ->
				(random.nextInt(4) == 0) ? pick(random, ids) : "\"s-" + random.nextInt(100) + "\"";
			case "timestamp", "eventTime", "ingestedAt", "ingested_at" ->
				(random.nextInt(4) == 0) ? pick(random, times) : times[random.nextInt(2)];
			case "value" -> (random.nextInt(4) == 0) ? pick(random, numbers) : "1.25";
			case "measurements" -> switch (random.nextInt(5)) {
				case 0 -> "{}";
				case 1 -> "{\"a\":" + pick(random, numbers) + "}";
				case 2 -> "{\"\":1}";
				default -> "{\"a\":1,\"b/~c\":-2.5}";
			};
			case "tags" -> switch (random.nextInt(4)) {
				case 0 -> "{\"a\":1}";
				case 1 -> "[]";
				default -> "{\"site\":\"x\",\"rack\":\"\"}";
			};
			case "schemaVersion" -> (random.nextInt(3) == 0) ? pick(random, versions) : "1";
			default -> "{\"nested\":[1,{\"x\":null}]}";
		};
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

	private void assertSameDecision(byte[] payload) {
		assertThat(this.reader.decode(payload)).as(new String(payload, StandardCharsets.UTF_8))
			.isEqualTo(this.contract.decode(payload));
	}

}
