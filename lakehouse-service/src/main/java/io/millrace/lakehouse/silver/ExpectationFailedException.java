package io.millrace.lakehouse.silver;

/**
 * A reading failed an expectation whose action is {@code fail}: the Silver input stops at
 * its record (the sink retries the batch and never commits past it) until the rule or the
 * data is fixed.
 */
public final class ExpectationFailedException extends IllegalStateException {

	ExpectationFailedException(String message) {
		super(message);
	}

}
