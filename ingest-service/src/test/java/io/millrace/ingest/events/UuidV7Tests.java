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

	@Test
	void idsFromManyThreadsAtOnceNeverRepeatAndKeepTheirRandomBitsRandom() throws Exception {
		UuidV7 ids = new UuidV7(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
		Set<UUID> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
		java.util.concurrent.atomic.AtomicLong ones = new java.util.concurrent.atomic.AtomicLong();
		java.util.List<Thread> threads = new java.util.ArrayList<>();
		for (int t = 0; t < 8; t++) {
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 20_000; i++) {
					UUID id = ids.next();
					seen.add(id);
					ones.addAndGet(Long.bitCount(id.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL));
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		// Same millisecond for all: only the random bits tell them apart.
		assertThat(seen).hasSize(8 * 20_000);
		// 62 random bits per id: about half of them set.
		assertThat(ones.get() / (8.0 * 20_000 * 62)).isBetween(0.49, 0.51);
	}

}
