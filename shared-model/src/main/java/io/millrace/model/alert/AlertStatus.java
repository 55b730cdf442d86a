package io.millrace.model.alert;

import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle state of an alert. */
public enum AlertStatus {

	/** The rule's condition holds. */
	FIRING,

	/** The rule's condition held and no longer does. */
	RESOLVED;

	@JsonValue
	String json() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
