package io.millrace.ingest.events;

import java.util.List;

/**
 * A request whose events break the TelemetryEvent contract; nothing of it is published.
 */
class InvalidEventsException extends RuntimeException {

	private final transient List<BadEvent> problems;

	InvalidEventsException(List<BadEvent> problems) {
		super(problems.size() + " problem(s), first: " + problems.get(0).pointer() + " " + problems.get(0).reason());
		this.problems = List.copyOf(problems);
	}

	List<BadEvent> problems() {
		return this.problems;
	}

}
