package io.millrace.alerting.delivery.payload;

/** The body a subscription receives for each alert notification. */
public enum PayloadFormat {

	/**
	 * The {@code AlertEvent} contract as JSON, as the {@code alerts} topic carries it.
	 */
	MILLRACE_JSON("application/json"),

	/**
	 * A CloudEvents 1.0 event in structured mode: the envelope and the AlertEvent as
	 * {@code data} in one JSON document.
	 */
	CLOUDEVENTS_STRUCTURED("application/cloudevents+json"),

	/**
	 * Alertmanager's webhook payload, version 4, with one alert per notification, so
	 * receivers written for Alertmanager (chat bridges, incident tools) work unchanged.
	 */
	ALERTMANAGER_V4("application/json");

	private final String contentType;

	PayloadFormat(String contentType) {
		this.contentType = contentType;
	}

	/**
	 * Whether a body in this format names its subscription (Alertmanager's
	 * {@code receiver}); the others are the same for every subscription of an alert, and
	 * written once for all of them.
	 * @return true for Alertmanager's payload
	 */
	public boolean namesReceiver() {
		return this == ALERTMANAGER_V4;
	}

	/**
	 * The {@code Content-Type} of a body in this format.
	 * @return the media type, with its UTF-8 charset
	 */
	public String contentType() {
		return this.contentType + "; charset=utf-8";
	}

}
