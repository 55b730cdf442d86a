package io.millrace.alerting.lifecycle;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a silence is in time. */
public enum SilenceState {

	/** Starts later. */
	PENDING,

	/** Suppressing notifications now. */
	ACTIVE,

	/** Ended (or was expired early). */
	EXPIRED;

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

}
