package io.millrace.model.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads RFC 3339 date-times ({@code 2026-02-05T10:00:00.123Z},
 * {@code 2026-02-05T11:00:00+01:00}) as instants, and writes instants the way
 * {@link Instant#toString()} does. The common shapes are read and written by hand:
 * {@code java.time}'s formatter costs more than everything else a pipeline does with an
 * event. Anything else goes to {@code java.time}, so the accepted set, the errors and the
 * output are exactly {@code java.time}'s.
 */
public final class Rfc3339 {

	private Rfc3339() {
	}

	/**
	 * Parse a date-time with an offset.
	 * @param text the text
	 * @return the instant it denotes
	 * @throws DateTimeParseException if it is not an RFC 3339 date-time with an offset
	 */
	public static Instant parse(CharSequence text) {
		Instant fast = parseCommonShape(text);
		return (fast != null) ? fast : OffsetDateTime.parse(text).toInstant();
	}

	/**
	 * Write an instant as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction
	 * in groups of three digits, none when zero).
	 * @param instant the instant
	 * @return the text
	 */
	public static String format(Instant instant) {
		long seconds = instant.getEpochSecond();
		long day = Math.floorDiv(seconds, 86_400);
		// Years 0000-9999; java.time adds a sign and more digits outside them.
		if (day < -719_528 || day > 2_932_896) {
			return instant.toString();
		}
		LocalDate date = LocalDate.ofEpochDay(day);
		int secondOfDay = (int) Math.floorMod(seconds, 86_400);
		int nanos = instant.getNano();
		int fractionDigits = (nanos == 0) ? 0 : (nanos % 1_000_000 == 0) ? 3 : (nanos % 1_000 == 0) ? 6 : 9;
		char[] text = new char[20 + ((fractionDigits > 0) ? fractionDigits + 1 : 0)];
		write(text, 0, date.getYear(), 4);
		text[4] = '-';
		write(text, 5, date.getMonthValue(), 2);
		text[7] = '-';
		write(text, 8, date.getDayOfMonth(), 2);
		text[10] = 'T';
		write(text, 11, secondOfDay / 3600, 2);
		text[13] = ':';
		write(text, 14, secondOfDay / 60 % 60, 2);
		text[16] = ':';
		write(text, 17, secondOfDay % 60, 2);
		int end = 19;
		if (fractionDigits > 0) {
			text[end++] = '.';
			int divisor = (fractionDigits == 3) ? 1_000_000 : (fractionDigits == 6) ? 1_000 : 1;
			write(text, end, nanos / divisor, fractionDigits);
			end += fractionDigits;
		}
		text[end] = 'Z';
		return new String(text);
	}

	private static void write(char[] text, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

	/** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or null for anything else. */
	private static Instant parseCommonShape(CharSequence s) {
		int length = s.length();
		if (length < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
				|| s.charAt(16) != ':') {
			return null;
		}
		int year = digits(s, 0, 4);
		int month = digits(s, 5, 2);
		int day = digits(s, 8, 2);
		int hour = digits(s, 11, 2);
		int minute = digits(s, 14, 2);
		int second = digits(s, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int position = 19;
		int nanos = 0;
		if (s.charAt(position) == '.') {
			int start = ++position;
			while (position < length && isDigit(s.charAt(position))) {
				position++;
			}
			int count = position - start;
			if (count == 0 || count > 9) {
				return null;
			}
			nanos = digits(s, start, count);
			for (int i = count; i < 9; i++) {
				nanos *= 10;
			}
		}
		int offsetSeconds;
		if (position == length - 1 && s.charAt(position) == 'Z') {
			offsetSeconds = 0;
		}
		else if (position == length - 6 && (s.charAt(position) == '+' || s.charAt(position) == '-')
				&& s.charAt(position + 3) == ':') {
			int offsetHours = digits(s, position + 1, 2);
			int offsetMinutes = digits(s, position + 4, 2);
			if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
					|| (offsetHours == 18 && offsetMinutes > 0)) {
				return null;
			}
			offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * ((s.charAt(position) == '-') ? -1 : 1);
		}
		else {
			return null;
		}
		long epochDay;
		try {
			epochDay = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
	}

	/** The non-negative number in {@code count} ASCII digits, or -1. */
	private static int digits(CharSequence s, int start, int count) {
		int value = 0;
		for (int i = start; i < start + count; i++) {
			char c = s.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
