package io.millrace.ingest.events;

/** The broker did not acknowledge an event in time; the client must retry. */
class PublishFailedException extends RuntimeException {

	PublishFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
