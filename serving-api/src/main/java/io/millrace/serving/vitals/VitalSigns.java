package io.millrace.serving.vitals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.serving.vitals.Vitals.Vital;

/**
 * Turns the latest scrapes of the platform's services into its vital signs. Plain Java:
 * the poller feeds it, the controller reads it.
 * <p>
 * The metrics are the ones docs/operations.md lists and the Grafana dashboard plots:
 * {@value #ACCEPTED} (ingest), {@value #WATERMARK_LAG} (processing), {@value #OFFSET_LAG}
 * (every service consuming with the Kafka binder), {@value #DELIVERIES} and
 * {@value #ATTEMPTS} (alerting).
 */
final class VitalSigns {

	static final String INGEST = "ingest";

	static final String PROCESSING = "processing";

	static final String ALERTING = "alerting";

	static final String ACCEPTED = "millrace_ingest_events_accepted_total";

	static final String WATERMARK_LAG = "millrace_processing_watermark_lag_seconds";

	static final String OFFSET_LAG = "spring_cloud_stream_binder_kafka_offset";

	static final String DELIVERIES = "millrace_alerting_webhook_deliveries_total";

	static final String ATTEMPTS = "millrace_alerting_webhook_attempts_total";

	private final Map<String, URI> sources;

	private final Map<String, Scrape> latest = new ConcurrentHashMap<>();

	/** The two newest successful scrapes of ingest, for its rate. */
	private volatile Scrape ingestBefore;

	private volatile Scrape ingestLast;

	/**
	 * @param sources the configured sources by name
	 */
	VitalSigns(Map<String, URI> sources) {
		this.sources = Map.copyOf(sources);
	}

	/**
	 * @return the configured sources by name
	 */
	Map<String, URI> sources() {
		return this.sources;
	}

	/**
	 * Take a scrape (or a failed one) in; called by the poller's thread.
	 * @param scrape the newest scrape of one source
	 */
	void record(Scrape scrape) {
		this.latest.put(scrape.source(), scrape);
		if (INGEST.equals(scrape.source()) && scrape.succeeded()) {
			this.ingestBefore = this.ingestLast;
			this.ingestLast = scrape;
		}
	}

	/**
	 * @param now the time of the answer
	 * @return the vital signs from the newest scrapes
	 */
	Vitals current(Instant now) {
		return new Vitals(now, ingestRate(), watermarkLag(), consumerLag(), webhookFailures());
	}

	private Vital ingestRate() {
		String unit = "events/s";
		Vital missing = missing(INGEST, ACCEPTED, unit);
		if (missing != null) {
			return missing;
		}
		Scrape last = this.ingestLast;
		Scrape before = this.ingestBefore;
		Double now = last.text().sum(ACCEPTED, (labels) -> true);
		Double then = (before != null) ? before.text().sum(ACCEPTED, (labels) -> true) : null;
		double seconds = (before != null) ? Duration.between(before.at(), last.at()).toNanos() / 1e9 : 0;
		if (now == null || then == null || seconds <= 0 || now < then) {
			// A rate needs two scrapes of one run of the service (a restart resets the
			// counter).
			return Vital.missing(Vitals.PENDING, unit, "waiting for a second scrape of " + INGEST, last.at());
		}
		return Vital.ok((now - then) / seconds, unit,
				String.format("%.0f events accepted in the last %.1f s", now - then, seconds), last.at());
	}

	private Vital watermarkLag() {
		String unit = "s";
		Vital missing = missing(PROCESSING, WATERMARK_LAG, unit);
		if (missing != null) {
			return missing;
		}
		Scrape scrape = this.latest.get(PROCESSING);
		Double lag = scrape.text().max(WATERMARK_LAG);
		if (lag == null) {
			return Vital.missing(Vitals.PENDING, unit, "no watermark yet: processing has seen no event", scrape.at());
		}
		return Vital.ok(lag, unit, "processing time minus the watermark", scrape.at());
	}

	private Vital consumerLag() {
		String unit = "records";
		if (this.sources.isEmpty()) {
			return notConfigured("any source", unit);
		}
		double total = 0;
		boolean found = false;
		Instant newest = null;
		List<String> parts = new ArrayList<>();
		for (String source : new TreeMap<>(this.sources).keySet()) {
			Scrape scrape = this.latest.get(source);
			if (scrape == null || !scrape.succeeded()) {
				parts.add(source + " unavailable");
				continue;
			}
			Double lag = scrape.text().sum(OFFSET_LAG, (labels) -> true);
			if (lag == null) {
				continue;
			}
			found = true;
			total += lag;
			parts.add(String.format("%s %.0f", source, lag));
			newest = (newest == null || scrape.at().isAfter(newest)) ? scrape.at() : newest;
		}
		if (!found) {
			return Vital.missing(Vitals.UNAVAILABLE, unit,
					"no source exports " + OFFSET_LAG
							+ " (the Kafka binder's lag, computed every 10 s; the eventhubs binder has none)"
							+ (parts.isEmpty() ? "" : ": " + String.join(", ", parts)),
					null);
		}
		return Vital.ok(total, unit, String.join(", ", parts), newest);
	}

	private Vital webhookFailures() {
		String unit = "notifications";
		Vital missing = missing(ALERTING, DELIVERIES, unit);
		if (missing != null) {
			return missing;
		}
		Scrape scrape = this.latest.get(ALERTING);
		Double failed = scrape.text().sum(DELIVERIES, (labels) -> "failed".equals(labels.get("outcome")));
		Double delivered = scrape.text().sum(DELIVERIES, (labels) -> "delivered".equals(labels.get("outcome")));
		Double retries = scrape.text().sum(ATTEMPTS, (labels) -> "retry".equals(labels.get("outcome")));
		return Vital.ok((failed != null) ? failed : 0, unit,
				String.format("given up on since alerting-service started; %.0f delivered, %.0f attempts to retry",
						(delivered != null) ? delivered : 0, (retries != null) ? retries : 0),
				scrape.at());
	}

	/**
	 * @return why a vital sign from {@code source}'s {@code metric} has no value, or
	 * {@code null} when the source's newest scrape has the metric
	 */
	private Vital missing(String source, String metric, String unit) {
		if (!this.sources.containsKey(source)) {
			return notConfigured(source, unit);
		}
		Scrape scrape = this.latest.get(source);
		if (scrape == null) {
			return Vital.missing(Vitals.PENDING, unit, "no scrape of " + source + " yet", null);
		}
		if (!scrape.succeeded()) {
			return Vital.missing(Vitals.UNAVAILABLE, unit,
					"the scrape of " + source + " (" + this.sources.get(source) + ") failed: " + scrape.error(),
					scrape.at());
		}
		if (!scrape.text().has(metric)) {
			return Vital.missing(Vitals.UNAVAILABLE, unit, source + " does not export " + metric, scrape.at());
		}
		return null;
	}

	private static Vital notConfigured(String source, String unit) {
		return Vital.missing(
				Vitals.NOT_CONFIGURED, unit, "set millrace.serving.vitals.sources."
						+ (source.equals("any source") ? "<name>" : source) + " to the service's Prometheus endpoint",
				null);
	}

	/**
	 * One scrape of one source.
	 *
	 * @param source the source's name
	 * @param at when the scrape was taken
	 * @param text its samples, {@code null} when it failed
	 * @param error why it failed, {@code null} when it succeeded
	 */
	record Scrape(String source, Instant at, PrometheusText text, String error) {

		static Scrape of(String source, Instant at, PrometheusText text) {
			return new Scrape(source, at, text, null);
		}

		static Scrape failed(String source, Instant at, String error) {
			return new Scrape(source, at, null, error);
		}

		boolean succeeded() {
			return this.text != null;
		}

	}

}
