package io.millrace.alerting.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After}: delay-seconds, or an HTTP-date (RFC 9110 10.2.3).
 */
final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * @param value the header value, or null
	 * @param now the time of the answer
	 * @return how long to wait (zero for a date in the past), or null if absent or
	 * unreadable (then the schedule alone decides)
	 */
	static Duration parse(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		if (text.matches("\\d{1,10}")) {
			return Duration.ofSeconds(Long.parseLong(text));
		}
		try {
			Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(now, at);
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
