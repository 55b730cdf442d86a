package io.millrace.alerting.lifecycle;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a series is in its alert lifecycle. */
public enum AlertState {

	/** The condition does not hold (or held for less than {@code for} and stopped). */
	INACTIVE,

	/** The condition holds, for less than {@code for} so far: nothing is notified. */
	PENDING,

	/** The alert fired and has not resolved. */
	FIRING;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

}
