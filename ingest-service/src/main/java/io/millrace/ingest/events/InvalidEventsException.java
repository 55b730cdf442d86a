package io.millrace.ingest.events;

import java.util.List;

import io.millrace.model.telemetry.Violation;

/**
 * A request whose events break the TelemetryEvent contract; nothing of it is published.
 */
class InvalidEventsException extends RuntimeException {

	private final transient List<Violation> violations;

	InvalidEventsException(List<Violation> violations) {
		super(violations.size() + " problem(s), first: " + violations.get(0).pointer() + " "
				+ violations.get(0).reason());
		this.violations = List.copyOf(violations);
	}

	List<Violation> violations() {
		return this.violations;
	}

}
