package io.millrace.alerting.lifecycle;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a rate-of-change rule measures the change between consecutive windows. */
public enum ChangeMode {

	/** {@code current - previous}, in the metric's unit. */
	ABSOLUTE,

	/**
	 * {@code (current - previous) / |previous| * 100}. A window after a previous value of
	 * 0 has no percentage and is not evaluated (it still becomes the previous one).
	 */
	PERCENT;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static ChangeMode parse(String text) {
		return valueOf(text.trim().toUpperCase(Locale.ROOT));
	}

}
