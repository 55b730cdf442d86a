package io.millrace.ingest.events;

/** A batch larger than the configured limit. */
class TooManyEventsException extends RuntimeException {

	TooManyEventsException(int events, int limit) {
		super("The request holds " + events + " events; the limit is " + limit + " per request");
	}

}
