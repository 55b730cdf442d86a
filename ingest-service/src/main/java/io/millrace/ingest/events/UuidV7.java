package io.millrace.ingest.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562, version 7): 48 bits of Unix milliseconds, then random
 * bits. Ids assigned by ingest sort by arrival, which keeps downstream indexes friendly.
 */
final class UuidV7 {

	private final SecureRandom random = new SecureRandom();

	private final Clock clock;

	UuidV7(Clock clock) {
		this.clock = clock;
	}

	UUID next() {
		long millis = this.clock.millis();
		long randomA = this.random.nextInt(1 << 12);
		long mostSignificant = (millis << 16) | (0x7L << 12) | randomA;
		long leastSignificant = (this.random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(mostSignificant, leastSignificant);
	}

}
