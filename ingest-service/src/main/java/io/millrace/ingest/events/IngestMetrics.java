package io.millrace.ingest.events;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;

/** The {@code millrace_ingest_*} metrics. */
public final class IngestMetrics {

	private final MeterRegistry registry;

	private final Counter accepted;

	private final Counter publishFailures;

	private final Counter bytesAccepted;

	private final Counter eventsRejected;

	private final DistributionSummary requestSize;

	private final Timer publishLatency;

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.accepted = Counter.builder("millrace.ingest.events.accepted")
			.description("Events acknowledged by the broker and answered with 202")
			.register(registry);
		this.publishFailures = Counter.builder("millrace.ingest.publish.failures")
			.description("Requests answered 503 because the broker did not acknowledge in time")
			.register(registry);
		this.bytesAccepted = Counter.builder("millrace.ingest.bytes.accepted")
			.description("Request body bytes (decompressed) of requests answered with 202")
			.baseUnit("bytes")
			.register(registry);
		this.eventsRejected = Counter.builder("millrace.ingest.events.rejected")
			.description("Bad events, in rejected requests and skipped from partially accepted ones")
			.register(registry);
		this.requestSize = DistributionSummary.builder("millrace.ingest.request.size")
			.description("Request body size after decompression")
			.baseUnit("bytes")
			.publishPercentileHistogram()
			.register(registry);
		this.publishLatency = Timer.builder("millrace.ingest.publish.latency")
			.description("Time from the first send of a request's events to the broker's last acknowledgement")
			.publishPercentileHistogram()
			.register(registry);
		for (String reason : new String[] { "invalid-event", "malformed-json", "too-many-events", "too-large",
				"invalid-parameter", "unsupported-media-type" }) {
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

	public void rejected(String reason, int requests) {
		Counter.builder("millrace.ingest.requests.rejected")
			.description("Requests rejected before publishing, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(requests);
	}

}
