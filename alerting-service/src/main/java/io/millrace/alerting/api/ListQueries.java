package io.millrace.alerting.api;

import java.time.Instant;

/** The checks every list endpoint makes of its time range and page size. */
public final class ListQueries {

	private ListQueries() {
	}

	/**
	 * @param from the range's start, or {@code null}
	 * @param to the range's end (exclusive), or {@code null}
	 * @param limit the page size asked for
	 * @param maxLimit the largest page size the endpoint allows
	 * @throws ApiException a {@code 400} problem naming what is wrong
	 */
	public static void check(Instant from, Instant to, int limit, int maxLimit) {
		if (from != null && to != null && !from.isBefore(to)) {
			throw ApiException.invalidQuery("invalid-time-range", "Invalid time range",
					"'from' (" + from + ") must be before 'to' (" + to + ")");
		}
		if (limit < 1 || limit > maxLimit) {
			throw ApiException.invalidQuery("invalid-limit", "Invalid limit",
					"'limit' must be 1 to " + maxLimit + ", not " + limit);
		}
	}

}
