package io.millrace.serving.vitals;

import java.time.Instant;

/**
 * The body of {@code GET /api/v1/vitals}: the platform's vital signs as the dashboard
 * shows them.
 *
 * @param observedAt when this answer was made
 * @param ingestRate events accepted by ingest-service per second, between its last two
 * scrapes
 * @param watermarkLag processing time minus processing-service's watermark, seconds
 * @param consumerLag records not yet consumed, summed over every consumer group of every
 * source
 * @param webhookFailures alert notifications given up on (dead-lettered) since
 * alerting-service started
 */
public record Vitals(Instant observedAt, Vital ingestRate, Vital watermarkLag, Vital consumerLag,
		Vital webhookFailures) {

	/** A vital sign's value is current. */
	public static final String OK = "ok";

	/** The source a vital sign needs is not configured. */
	public static final String NOT_CONFIGURED = "not-configured";

	/** The source did not answer, or does not export the metric. */
	public static final String UNAVAILABLE = "unavailable";

	/** Not known yet: a rate needs two scrapes, a watermark an event. */
	public static final String PENDING = "pending";

	/**
	 * One vital sign.
	 *
	 * @param state {@code ok}, {@code not-configured}, {@code unavailable} or
	 * {@code pending}
	 * @param value the value when {@code ok}
	 * @param unit what the value counts
	 * @param detail what it is made of, or why it is missing
	 * @param observedAt when the scrape it comes from was taken
	 */
	public record Vital(String state, Double value, String unit, String detail, Instant observedAt) {

		static Vital ok(double value, String unit, String detail, Instant observedAt) {
			return new Vital(OK, value, unit, detail, observedAt);
		}

		static Vital missing(String state, String unit, String detail, Instant observedAt) {
			return new Vital(state, null, unit, detail, observedAt);
		}

	}

}
