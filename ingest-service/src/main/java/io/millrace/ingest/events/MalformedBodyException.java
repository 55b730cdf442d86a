package io.millrace.ingest.events;

/** A request body that cannot be read at all (not JSON, or a broken gzip stream). */
class MalformedBodyException extends RuntimeException {

	MalformedBodyException(String message) {
		super(message);
	}

}
