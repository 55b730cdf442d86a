package io.millrace.ingest.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;

/** The {@code millrace_ingest_*} metrics. */
public final class IngestMetrics {

	/**
	 * The {@code reason} of every rejected request (docs/operations.md); each is exported
	 * from the start.
	 */
	static final List<String> REJECTION_REASONS = List.of("invalid-event", "malformed-json", "too-many-events",
			"too-large", "too-busy", "rate-limited", "unauthorized", "forbidden", "invalid-parameter",
			"unsupported-media-type");

	private final MeterRegistry registry;

	private final Counter accepted;

	private final Counter publishFailures;

	private final Counter bytesAccepted;

	private final Counter eventsRejected;

	private final DistributionSummary requestSize;

	private final Timer publishLatency;

	/**
	 * Register the metrics.
	 * @param registry where
	 * @param maxBytesPerRequest the request size limit: the largest request-size bucket
	 * @param publishTimeout the longest a publish waits: the largest latency bucket
	 */
	IngestMetrics(MeterRegistry registry, long maxBytesPerRequest, Duration publishTimeout) {
		this.registry = registry;
		this.accepted = Counter.builder("millrace.ingest.events.accepted")
			.description("Events acknowledged by the broker and answered with 202")
			.register(registry);
		this.publishFailures = Counter.builder("millrace.ingest.publish.failures")
			.description("Requests answered 503 because the broker did not acknowledge in time")
			.register(registry);
		// No base unit: the name says bytes already, and Prometheus would call it
		// millrace_ingest_bytes_accepted_bytes_total with one.
		this.bytesAccepted = Counter.builder("millrace.ingest.bytes.accepted")
			.description("Request body bytes (decompressed) of requests answered with 202")
			.register(registry);
		this.eventsRejected = Counter.builder("millrace.ingest.events.rejected")
			.description("Bad events, in rejected requests and skipped from partially accepted ones")
			.register(registry);
		this.requestSize = DistributionSummary.builder("millrace.ingest.request.size")
			.description("Request body size after decompression")
			.baseUnit("bytes")
			.serviceLevelObjectives(requestSizeBuckets(maxBytesPerRequest))
			.register(registry);
		this.publishLatency = Timer.builder("millrace.ingest.publish.latency")
			.description("Time from the first send of a request's events to the broker's last acknowledgement")
			.serviceLevelObjectives(publishLatencyBuckets(publishTimeout))
			.register(registry);
		// Every reason from the start, so that rate() and increase() see 0 rather than
		// nothing: an alert on the first refused credential or throttled client fires.
		for (String reason : REJECTION_REASONS) {
			rejected(reason, 0);
		}
	}

	void accepted(int events) {
		this.accepted.increment(events);
	}

	void inFlightBytes(Supplier<Number> held) {
		Gauge.builder("millrace.ingest.inflight", held)
			.description("Request bytes held by this instance now")
			.baseUnit("bytes")
			.register(this.registry);
	}

	void published(long nanos) {
		this.publishLatency.record(nanos, TimeUnit.NANOSECONDS);
	}

	void received(int bytes) {
		this.requestSize.record(bytes);
	}

	void acceptedBytes(int bytes) {
		this.bytesAccepted.increment(bytes);
	}

	void badEvents(long events) {
		this.eventsRejected.increment(events);
	}

	void publishFailed() {
		this.publishFailures.increment();
	}

	/**
	 * Request-size histogram buckets: powers of 4 from 256 B up to the request limit,
	 * then the limit itself (256 B, 1 KiB, … 4 MiB, 5 MiB with the default limit). Larger
	 * requests are refused before they are measured.
	 * @param maxBytesPerRequest the request size limit
	 * @return the bucket bounds in bytes
	 */
	static double[] requestSizeBuckets(long maxBytesPerRequest) {
		List<Double> bounds = new ArrayList<>();
		for (long bytes = 256; bytes < maxBytesPerRequest; bytes *= 4) {
			bounds.add((double) bytes);
		}
		bounds.add((double) maxBytesPerRequest);
		return bounds.stream().mapToDouble(Double::doubleValue).toArray();
	}

	/**
	 * Publish-latency histogram buckets: 1, 2.5 and 5 times each power of ten from 1 ms
	 * up to the publish timeout, then the timeout itself (1 ms … 5 s, 10 s with the
	 * default timeout). A publish that takes longer fails and is not measured.
	 * @param publishTimeout the publish timeout
	 * @return the bucket bounds
	 */
	static Duration[] publishLatencyBuckets(Duration publishTimeout) {
		List<Duration> bounds = new ArrayList<>();
		for (Duration decade = Duration.ofMillis(1); decade.compareTo(publishTimeout) < 0; decade = decade
			.multipliedBy(10)) {
			for (Duration bound : List.of(decade, decade.multipliedBy(5).dividedBy(2), decade.multipliedBy(5))) {
				if (bound.compareTo(publishTimeout) < 0) {
					bounds.add(bound);
				}
			}
		}
		bounds.add(publishTimeout);
		return bounds.toArray(Duration[]::new);
	}

	public void rejected(String reason, int requests) {
		Counter.builder("millrace.ingest.requests.rejected")
			.description("Requests rejected before publishing, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(requests);
	}

}
