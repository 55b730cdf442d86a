package io.millrace.ingest.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UuidV7Tests {

	@Test
	void carriesVersionSevenTheRfcVariantAndTheMillisecondsOfItsCreation() {
		Instant now = Instant.parse("2026-11-25T10:15:30.123Z");
		UUID id = new UuidV7(Clock.fixed(now, ZoneOffset.UTC)).next();
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
	}

	@Test
	void idsFromLaterMillisecondsSortLaterAndNoneRepeat() {
		UUID earlier = new UuidV7(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC)).next();
		UUID later = new UuidV7(Clock.fixed(Instant.parse("2026-11-25T10:00:00.001Z"), ZoneOffset.UTC)).next();
		assertThat(earlier.toString()).isLessThan(later.toString());
		UuidV7 ids = new UuidV7(Clock.systemUTC());
		Set<UUID> seen = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			assertThat(seen.add(ids.next())).isTrue();
		}
	}

}
