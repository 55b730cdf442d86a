package io.millrace.lakehouse.sink;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Instants as Delta stores them: {@code timestamp} columns are UTC microseconds since the
 * epoch (Delta's {@code timestamp_ntz}, local time without a zone, needs a newer protocol
 * and is not what an instant is), {@code date} columns days since the epoch.
 */
public final class Timestamps {

	private Timestamps() {
	}

	/**
	 * @param instant an instant, or {@code null}
	 * @return UTC microseconds (sub-microsecond digits dropped), or {@code null}
	 */
	public static Long micros(Instant instant) {
		if (instant == null) {
			return null;
		}
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

	/**
	 * @param instant an instant
	 * @return its UTC date as days since the epoch
	 */
	public static Integer utcDay(Instant instant) {
		return (int) instant.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
	}

	/**
	 * @param instant an instant
	 * @return its UTC hour of day
	 */
	public static Integer utcHour(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC).getHour();
	}

	/**
	 * @param micros UTC microseconds since the epoch
	 * @return the instant
	 */
	public static Instant instant(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

}
