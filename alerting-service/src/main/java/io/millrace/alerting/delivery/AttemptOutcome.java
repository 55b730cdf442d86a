package io.millrace.alerting.delivery;

/** What one delivery attempt means for the notification and its subscription. */
public enum AttemptOutcome {

	/** A 2xx answer: the notification is done. */
	DELIVERED,

	/**
	 * A timeout, a connection failure, 408, 429 or 5xx: try again on the retry schedule
	 * (not before the receiver's {@code Retry-After}).
	 */
	RETRY,

	/** 410 Gone: the receiver is retired for good; disable the subscription. */
	GONE,

	/**
	 * Any other 4xx, or a redirect (never followed): the receiver refused this request,
	 * and sending the same request again will not change its mind.
	 */
	REJECTED,

	/**
	 * The SSRF guard would not let the URL be connected to; nothing was sent. Not
	 * retried: the URL or the policy must change first.
	 */
	REFUSED

}
