package io.millrace.ingest.events;

/** A request body larger than the configured limit (after decompression). */
class RequestTooLargeException extends RuntimeException {

	RequestTooLargeException(long limit) {
		super("The request body is larger than " + limit + " bytes (after decompression); send smaller batches");
	}

}
