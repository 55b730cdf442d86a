package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte scanner returns an event only where the streaming parser returns the very same
 * event, and reads the benchmark's and ingest's single-value records itself.
 */
class TelemetryEventScannerTests {

	@Test
	void readsTheNarrowShapeAsTheParserDoes() {
		for (String json : List.of(
				"{\"eventId\":\"e1\",\"sensorId\":\"sensor-7\",\"timestamp\":\"2026-11-25T00:00:00.123Z\",\"value\":50.37}",
				" {\n \"sensorId\" : \"s\" ,\t\"timestamp\":\"2026-11-25T00:00:00Z\", \"value\": -0 }\r\n",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00+05:30\",\"value\":1E-3,\"schemaVersion\":1,"
						+ "\"ingestedAt\":\"2026-11-25T00:00:01.5Z\",\"eventId\":\"0190a0c4-5b7e-7c1d-9f00-000000000001\"}")) {
			byte[] payload = json.getBytes(StandardCharsets.UTF_8);
			TelemetryEvent scanned = TelemetryEventScanner.scan(payload);
			assertThat(scanned).as(json).isNotNull().isEqualTo(TelemetryEventReader.readCommonShape(payload));
		}
	}

	@Test
	void leavesOtherShapesToTheParser() {
		for (String json : List.of("", "{}", "[]", "{\"sensorId\":\"s\"}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1,\"tags\":{}}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"measurements\":{\"a\":1}}",
				"{\"sensorId\":\"s\\u0041\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1}",
				"{\"sens\\u006frId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"caf\u00e9\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1234567890123456789}",
				"{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":0." + "1".repeat(200) + "}",
				"\uFEFF{\"sensorId\":\"s\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"value\":1}")) {
			assertThat(TelemetryEventScanner.scan(json.getBytes(StandardCharsets.UTF_8))).as(json).isNull();
		}
	}

	/**
	 * Generated documents near the narrow shape: every number form and whitespace the
	 * grammar allows or forbids, ids at and past the limits, repeated and unknown fields.
	 * Wherever the scanner answers, the parser answers the same.
	 */
	@Test
	void neverDisagreesWithTheParser() {
		Random random = new Random(11);
		String[] numbers = { "0", "-0", "1", "-1", "01", "-01", "1.", ".5", "1.5", "-0.0", "1e5", "1E+5", "1e-5", "1e",
				"1e+", "2.5E-3", "1e308", "1e309", "-1e309", "4.9e-324", "1e-400", "123456789012345678",
				"-123456789012345678", "9223372036854775807", "+1", "0x10", "1.5.5", "NaN", "Infinity", "\"1\"", "null",
				"true", "[1]" };
		String[] ids = { "\"e1\"", "\"\"", "\" \"", "\"  x\"", "\"" + "x".repeat(128) + "\"",
				"\"" + "x".repeat(129) + "\"", "\"a\\\"b\"", "\"tab\there\"", "null", "7" };
		String[] times = { "\"2026-11-25T00:00:00Z\"", "\"2026-11-25T00:00:00.5+01:00\"", "\"2026-11-25T00:00:00\"",
				"\"2026-02-30T00:00:00Z\"", "\"2026-11-25t00:00:00z\"", "null" };
		String[] versions = { "1", "2", "0", "-1", "01", "1.0", "999999999", "1000000000", "\"1\"" };
		String[] spaces = { "", "", "", "", "", "", " ", "\n", "\t", "\r\n " };
		// Form feed is not JSON whitespace: around the document only, now and then.
		String[] outer = { "", "", "", "", " ", "\n", "\f" };
		int scanned = 0;
		for (int i = 0; i < 50_000; i++) {
			List<String> members = new ArrayList<>();
			members.add(member(random, spaces, "sensorId",
					(random.nextInt(5) == 0) ? pick(random, ids) : "\"sensor-" + random.nextInt(100) + "\""));
			members.add(member(random, spaces, "timestamp", (random.nextInt(5) == 0) ? pick(random, times) : times[0]));
			members.add(
					member(random, spaces, "value", (random.nextInt(3) == 0) ? pick(random, numbers) : number(random)));
			if (random.nextBoolean()) {
				members.add(member(random, spaces, "eventId",
						(random.nextInt(5) == 0) ? pick(random, ids) : "\"e" + random.nextInt(1_000_000) + "\""));
			}
			if (random.nextInt(4) == 0) {
				members.add(member(random, spaces, "schemaVersion", pick(random, versions)));
			}
			if (random.nextInt(4) == 0) {
				members.add(member(random, spaces, "ingestedAt", pick(random, times)));
			}
			if (random.nextInt(20) == 0) {
				members.add(member(random, spaces, "other", "1"));
			}
			if (random.nextInt(20) == 0) {
				members.add(members.get(random.nextInt(members.size())));
			}
			if (random.nextInt(10) == 0) {
				members.remove(random.nextInt(members.size()));
			}
			Collections.shuffle(members, random);
			String json = pick(random, outer) + "{" + String.join(",", members) + "}" + pick(random, outer)
					+ ((random.nextInt(50) == 0) ? "x" : "");
			byte[] payload = json.getBytes(StandardCharsets.UTF_8);
			TelemetryEvent event = TelemetryEventScanner.scan(payload);
			if (event != null) {
				scanned++;
				assertThat(event).as(json).isEqualTo(TelemetryEventReader.readCommonShape(payload));
			}
		}
		assertThat(scanned).isBetween(5_000, 45_000);
	}

	private static String member(Random random, String[] spaces, String name, String value) {
		return pick(random, spaces) + "\"" + name + "\"" + pick(random, spaces) + ":" + pick(random, spaces) + value
				+ pick(random, spaces);
	}

	/** A random reading written as JSON writers write numbers, and some other ways. */
	private static String number(Random random) {
		double value = (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 4));
		return switch (random.nextInt(4)) {
			case 0 -> Double.toString(value);
			case 1 -> String.valueOf(Math.round(value * 100) / 100.0);
			case 2 -> String.valueOf((long) value);
			default -> String.format(Locale.ROOT, "%.6e", value);
		};
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

}
