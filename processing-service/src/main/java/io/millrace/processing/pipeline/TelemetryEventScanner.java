package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.millrace.model.json.Rfc3339;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Reads the narrowest, most common {@code telemetry-raw} record straight from its bytes:
 * one JSON object of {@code eventId}, {@code sensorId}, {@code timestamp}, {@code value},
 * and optionally {@code schemaVersion} and {@code ingestedAt}, each once, strings of
 * printable ASCII without escapes, numbers in strict JSON grammar. That is what ingest
 * writes for a single-value reading, and it needs no parser: Jackson's per-record parser
 * state, token loop and field-name lookup were most of the decode (docs/benchmarks.md).
 * <p>
 * It decides nothing else: anything outside that shape — escapes, non-ASCII text,
 * whitespace in odd places is fine, but {@code measurements}, {@code tags}, an unknown or
 * repeated field, a rule broken, a number Jackson would read as a big integer — returns
 * {@code null}, and the caller reads the record with the streaming parser (and, beyond
 * that, the shared decoder). So an event it returns is the very event those would build:
 * numbers as Jackson reads them ({@code (double)} of the long for an integer literal,
 * {@link Double#parseDouble} for a decimal one), instants through {@link Rfc3339}, the
 * same id rules. A differential test holds it to the streaming parser on generated
 * documents.
 */
final class TelemetryEventScanner {

	private static final int MAX_ID_LENGTH = 128;

	private static final int MAX_NUMBER_LENGTH = 100;

	private final byte[] in;

	private int at;

	private TelemetryEventScanner(byte[] in) {
		this.in = in;
	}

	/**
	 * @param payload the record's bytes
	 * @return the event, or {@code null} when the record is not of the narrow shape (or
	 * is not valid), for the streaming parser to decide
	 */
	static TelemetryEvent scan(byte[] payload) {
		if (payload == null) {
			return null;
		}
		return new TelemetryEventScanner(payload).event();
	}

	private TelemetryEvent event() {
		String eventId = null;
		String sensorId = null;
		Instant timestamp = null;
		double value = 0;
		boolean hasValue = false;
		Integer schemaVersion = null;
		Instant ingestedAt = null;
		if (!skipTo('{')) {
			return null;
		}
		this.at++;
		if (!skipWhitespace()) {
			return null;
		}
		if (this.in[this.at] == '}') {
			return null;
		}
		while (true) {
			if (this.in[this.at] != '"') {
				return null;
			}
			int nameStart = this.at + 1;
			int nameEnd = stringEnd(nameStart);
			if (nameEnd < 0) {
				return null;
			}
			this.at = nameEnd + 1;
			if (!skipTo(':')) {
				return null;
			}
			this.at++;
			if (!skipWhitespace()) {
				return null;
			}
			switch (field(nameStart, nameEnd)) {
				case EVENT_ID -> {
					if (eventId != null || (eventId = id()) == null) {
						return null;
					}
				}
				case SENSOR_ID -> {
					if (sensorId != null || (sensorId = id()) == null) {
						return null;
					}
				}
				case TIMESTAMP -> {
					if (timestamp != null || (timestamp = instant()) == null) {
						return null;
					}
				}
				case INGESTED_AT -> {
					if (ingestedAt != null || (ingestedAt = instant()) == null) {
						return null;
					}
				}
				case VALUE -> {
					if (hasValue) {
						return null;
					}
					int start = this.at;
					int end = numberEnd(start);
					if (end < 0) {
						return null;
					}
					this.at = end;
					Double number = number(start, end);
					if (number == null) {
						return null;
					}
					value = number;
					hasValue = true;
				}
				case SCHEMA_VERSION -> {
					if (schemaVersion != null || (schemaVersion = schemaVersion()) == null) {
						return null;
					}
				}
				default -> {
					return null;
				}
			}
			if (!skipWhitespace()) {
				return null;
			}
			byte next = this.in[this.at++];
			if (next == '}') {
				break;
			}
			if (next != ',' || !skipWhitespace()) {
				return null;
			}
		}
		// Only whitespace may follow the object.
		if (skipWhitespace()) {
			return null;
		}
		if (sensorId == null || timestamp == null || !hasValue) {
			return null;
		}
		return new TelemetryEvent(eventId, sensorId, timestamp, value, null, null, schemaVersion, ingestedAt);
	}

	private static final int EVENT_ID = 1;

	private static final int SENSOR_ID = 2;

	private static final int TIMESTAMP = 3;

	private static final int VALUE = 4;

	private static final int SCHEMA_VERSION = 5;

	private static final int INGESTED_AT = 6;

	/** Which known field the name between the quotes is; 0 for any other. */
	private int field(int start, int end) {
		int length = end - start;
		if (length == 7 && is(start, "eventId")) {
			return EVENT_ID;
		}
		if (length == 8 && is(start, "sensorId")) {
			return SENSOR_ID;
		}
		if (length == 9 && is(start, "timestamp")) {
			return TIMESTAMP;
		}
		if (length == 5 && is(start, "value")) {
			return VALUE;
		}
		if (length == 13 && is(start, "schemaVersion")) {
			return SCHEMA_VERSION;
		}
		if (length == 10 && is(start, "ingestedAt")) {
			return INGESTED_AT;
		}
		return 0;
	}

	private boolean is(int start, String name) {
		for (int i = 0; i < name.length(); i++) {
			if (this.in[start + i] != name.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Where the string starting at {@code start} (after its opening quote) ends: the
	 * index of its closing quote; -1 if it holds anything but printable ASCII without
	 * escapes.
	 */
	private int stringEnd(int start) {
		for (int i = start; i < this.in.length; i++) {
			byte b = this.in[i];
			if (b == '"') {
				return i;
			}
			if (b < 0x20 || b > 0x7E || b == '\\') {
				return -1;
			}
		}
		return -1;
	}

	/** A string value at {@code at}, as the text between its quotes; null if not. */
	private String string() {
		if (this.in[this.at] != '"') {
			return null;
		}
		int start = this.at + 1;
		int end = stringEnd(start);
		if (end < 0) {
			return null;
		}
		this.at = end + 1;
		return new String(this.in, start, end - start, StandardCharsets.ISO_8859_1);
	}

	/** An id: a string, not blank, at most 128 characters (ASCII: code points). */
	private String id() {
		String text = string();
		if (text == null || text.length() > MAX_ID_LENGTH || text.isBlank()) {
			return null;
		}
		return text;
	}

	private Instant instant() {
		String text = string();
		if (text == null) {
			return null;
		}
		try {
			return Rfc3339.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * A schema version: an integer literal of at most nine digits (so Jackson would read
	 * an int), at least 1.
	 */
	private Integer schemaVersion() {
		int start = this.at;
		int end = numberEnd(start);
		if (end < 0 || end - start > 9) {
			return null;
		}
		int version = 0;
		for (int i = start; i < end; i++) {
			byte b = this.in[i];
			if (b < '0' || b > '9') {
				return null;
			}
			version = version * 10 + (b - '0');
		}
		this.at = end;
		return (version >= 1) ? version : null;
	}

	/**
	 * Where the JSON number starting at {@code start} ends, checked against JSON's
	 * grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, what Jackson
	 * accepts by default), followed by whitespace, a comma or the closing brace; -1 if
	 * not.
	 */
	private int numberEnd(int start) {
		int i = start;
		if (i < this.in.length && this.in[i] == '-') {
			i++;
		}
		if (i >= this.in.length) {
			return -1;
		}
		if (this.in[i] == '0') {
			i++;
		}
		else {
			int digits = digits(i);
			if (digits == 0) {
				return -1;
			}
			i += digits;
		}
		if (i < this.in.length && this.in[i] == '.') {
			int digits = digits(i + 1);
			if (digits == 0) {
				return -1;
			}
			i += 1 + digits;
		}
		if (i < this.in.length && (this.in[i] == 'e' || this.in[i] == 'E')) {
			i++;
			if (i < this.in.length && (this.in[i] == '+' || this.in[i] == '-')) {
				i++;
			}
			int digits = digits(i);
			if (digits == 0) {
				return -1;
			}
			i += digits;
		}
		if (i >= this.in.length) {
			return -1;
		}
		byte next = this.in[i];
		return (next == ',' || next == '}' || isWhitespace(next)) ? i : -1;
	}

	private int digits(int start) {
		int i = start;
		while (i < this.in.length && this.in[i] >= '0' && this.in[i] <= '9') {
			i++;
		}
		return i - start;
	}

	/**
	 * The number as Jackson's reader turns it into the value: an integer literal of up to
	 * 18 digits (always a long) as {@code (double)} of that long, a decimal one by
	 * {@link Double#parseDouble}; null for a longer integer literal (Jackson may make it
	 * a big integer, which the streaming path rejects) and for a value that is not
	 * finite.
	 */
	private Double number(int start, int end) {
		if (end - start > MAX_NUMBER_LENGTH) {
			// Far below Jackson's limit on number length; past it the parser decides.
			return null;
		}
		boolean integer = true;
		for (int i = start; i < end; i++) {
			byte b = this.in[i];
			if (b == '.' || b == 'e' || b == 'E') {
				integer = false;
				break;
			}
		}
		if (integer) {
			boolean negative = this.in[start] == '-';
			int first = negative ? start + 1 : start;
			if (end - first > 18) {
				return null;
			}
			long number = 0;
			for (int i = first; i < end; i++) {
				number = number * 10 + (this.in[i] - '0');
			}
			return (double) (negative ? -number : number);
		}
		double number = Double.parseDouble(new String(this.in, start, end - start, StandardCharsets.ISO_8859_1));
		return Double.isFinite(number) ? number : null;
	}

	/**
	 * Skip whitespace, then expect {@code expected} at the position reached.
	 */
	private boolean skipTo(char expected) {
		return skipWhitespace() && this.in[this.at] == expected;
	}

	/**
	 * Skip JSON whitespace.
	 * @return whether a byte other than whitespace is left
	 */
	private boolean skipWhitespace() {
		while (this.at < this.in.length && isWhitespace(this.in[this.at])) {
			this.at++;
		}
		return this.at < this.in.length;
	}

	private static boolean isWhitespace(byte b) {
		return b == ' ' || b == '\t' || b == '\n' || b == '\r';
	}

}
