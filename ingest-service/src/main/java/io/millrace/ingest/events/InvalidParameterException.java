package io.millrace.ingest.events;

/** A query parameter with a value the API does not know. */
class InvalidParameterException extends RuntimeException {

	private final String parameter;

	InvalidParameterException(String parameter, String message) {
		super("Query parameter '" + parameter + "' " + message);
		this.parameter = parameter;
	}

	String parameter() {
		return this.parameter;
	}

}
