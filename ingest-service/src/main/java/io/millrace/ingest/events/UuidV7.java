package io.millrace.ingest.events;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562, version 7): 48 bits of Unix milliseconds, then random
 * bits. Ids assigned by ingest sort by arrival, which keeps downstream indexes friendly.
 * <p>
 * The random bits come from one DRBG per thread: the default {@link SecureRandom} on
 * Linux (NativePRNG) serializes every caller on one global lock, which was the most
 * contended monitor in ingest under many concurrent requests.
 */
final class UuidV7 {

	private static final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(UuidV7::newRandom);

	private final Clock clock;

	UuidV7(Clock clock) {
		this.clock = clock;
	}

	UUID next() {
		long millis = this.clock.millis();
		byte[] bits = new byte[10];
		random.get().nextBytes(bits);
		long randomA = ((bits[0] & 0x0FL) << 8) | (bits[1] & 0xFFL);
		long randomB = 0;
		for (int i = 2; i < 10; i++) {
			randomB = (randomB << 8) | (bits[i] & 0xFFL);
		}
		long mostSignificant = (millis << 16) | (0x7L << 12) | randomA;
		long leastSignificant = (randomB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(mostSignificant, leastSignificant);
	}

	private static SecureRandom newRandom() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

}
