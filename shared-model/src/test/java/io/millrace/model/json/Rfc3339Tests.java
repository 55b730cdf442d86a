package io.millrace.model.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class Rfc3339Tests {

	@ParameterizedTest
	@ValueSource(strings = { "2026-02-05T10:00:00Z", "2026-02-05T10:00:00.1Z", "2026-02-05T10:00:00.123456789Z",
			"2026-02-05T11:00:00+01:00", "2026-02-05T04:30:00-05:30", "2024-02-29T23:59:59.999Z",
			"2026-02-05T10:00:00+18:00", "2026-02-05t10:00:00z", "2026-02-05T10:00Z", "0001-01-01T00:00:00Z",
			"+12026-02-05T10:00:00Z" })
	void readsWhatJavaTimeReadsTheSameWay(String text) {
		assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-02-30T10:00:00Z", "2026-13-05T10:00:00Z", "2026-02-05T24:00:00Z",
			"2026-02-05T10:60:00Z", "2026-02-05T10:00:60Z", "2026-02-05T10:00:00", "2026-02-05T10:00:00.1234567890Z",
			"2026-02-05T10:00:00+19:00", "2026-02-05", "yesterday", "2025-02-29T10:00:00Z", "2026-02-05 10:00:00Z",
			"2026-02-05T10:00:00+01:00Z" })
	void rejectsWhatJavaTimeRejects(String text) {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> OffsetDateTime.parse(text));
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> Rfc3339.parse(text));
	}

	@Test
	void agreesWithJavaTimeOnRandomInstantsAndOffsets() {
		Random random = new Random(3339);
		for (int i = 0; i < 100_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L),
					random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
			String text = instant.atOffset(java.time.ZoneOffset.ofTotalSeconds(60 * random.nextInt(-1080, 1081)))
				.toString();
			assertThat(Rfc3339.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
		}
	}

	@Test
	void writesWhatInstantToStringWritesOnRandomInstantsAndEdges() {
		Random random = new Random(3340);
		for (int i = 0; i < 200_000; i++) {
			long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
			int nanos = switch (random.nextInt(4)) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1_000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(seconds, nanos);
			assertThat(Rfc3339.format(instant)).isEqualTo(instant.toString());
		}
		for (Instant edge : new Instant[] { Instant.EPOCH, Instant.MIN, Instant.MAX,
				Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.999999999Z"),
				Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
				Instant.parse("1969-12-31T23:59:59.000001Z"), Instant.parse("2026-02-05T10:00:00.100Z") }) {
			assertThat(Rfc3339.format(edge)).isEqualTo(edge.toString());
		}
	}

}
