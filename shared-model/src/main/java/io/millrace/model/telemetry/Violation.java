package io.millrace.model.telemetry;

/**
 * One reason an event does not satisfy its contract.
 *
 * @param pointer JSON pointer (RFC 6901) to the offending field within the request body,
 * for example {@code /3/sensorId}
 * @param reason what is wrong, in words a client developer can act on
 */
public record Violation(String pointer, String reason) {

	@Override
	public String toString() {
		return this.pointer + ": " + this.reason;
	}

}
