package io.millrace.serving.api;

import java.time.Instant;

/** Checks of the {@code from}/{@code to} parameters every query shares. */
public final class TimeRanges {

	private TimeRanges() {
	}

	/**
	 * @param from inclusive start, or {@code null}
	 * @param to exclusive end, or {@code null}
	 * @throws ApiException a 400 {@code invalid-time-range} when {@code to} is not after
	 * {@code from}
	 */
	public static void check(Instant from, Instant to) {
		if (from != null && to != null && !from.isBefore(to)) {
			throw ApiException.invalidTimeRange("'from' (" + from + ") must be before 'to' (" + to + ")");
		}
	}

	/**
	 * @param from an inclusive start, or {@code null}
	 * @return it in epoch ms, or {@code Long.MIN_VALUE}
	 */
	public static long fromMillis(Instant from) {
		return (from != null) ? from.toEpochMilli() : Long.MIN_VALUE;
	}

	/**
	 * @param to an exclusive end, or {@code null}
	 * @return it in epoch ms, or {@code Long.MAX_VALUE}
	 */
	public static long toMillis(Instant to) {
		return (to != null) ? to.toEpochMilli() : Long.MAX_VALUE;
	}

}
