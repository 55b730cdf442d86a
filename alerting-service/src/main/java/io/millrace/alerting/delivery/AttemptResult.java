package io.millrace.alerting.delivery;

import java.time.Duration;

/**
 * How one delivery attempt went, as the delivery log records it.
 *
 * @param outcome what it means for the notification
 * @param statusCode the HTTP status, or 0 if no answer came (timeout, connection error,
 * refusal)
 * @param retryAfter the receiver's {@code Retry-After}, or null if it sent none
 * @param detail a one-line explanation for the subscription owner
 */
public record AttemptResult(AttemptOutcome outcome, int statusCode, Duration retryAfter, String detail) {

	static AttemptResult noAnswer(AttemptOutcome outcome, String detail) {
		return new AttemptResult(outcome, 0, null, detail);
	}

}
