package io.millrace.lakehouse.powerbi;

import java.time.Duration;

/**
 * What Power BI answered to one POST rows request.
 *
 * @param status the HTTP status, or 0 when no answer came (connection refused, timeout)
 * @param retryAfter the {@code Retry-After} header, if any
 * @param detail the error body, or the exception, for dead letters and logs
 */
record PushResponse(int status, Duration retryAfter, String detail) {

	boolean accepted() {
		return this.status >= 200 && this.status < 300;
	}

	/**
	 * 429 (throttled), 5xx and no answer are worth another attempt; any other 4xx is not.
	 */
	boolean retryable() {
		return this.status == 429 || this.status == 0 || this.status >= 500;
	}

}
