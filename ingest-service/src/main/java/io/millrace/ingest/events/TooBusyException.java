package io.millrace.ingest.events;

/** The instance holds as many request bytes as it may; the client should retry later. */
class TooBusyException extends RuntimeException {

	TooBusyException(long limit) {
		super("This instance is holding its limit of " + limit
				+ " request bytes in flight; retry after the time in Retry-After");
	}

}
