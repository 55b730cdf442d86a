package io.millrace.ingest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The {@code millrace_ingest_*} metrics. */
final class IngestMetrics {

	private final MeterRegistry registry;

	private final Counter accepted;

	private final Counter publishFailures;

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.accepted = Counter.builder("millrace.ingest.events.accepted")
			.description("Events acknowledged by the broker and answered with 202")
			.register(registry);
		this.publishFailures = Counter.builder("millrace.ingest.publish.failures")
			.description("Requests answered 503 because the broker did not acknowledge in time")
			.register(registry);
		for (String reason : new String[] { "invalid-event", "malformed-json", "too-many-events",
				"unsupported-media-type" }) {
			rejected(reason, 0);
		}
	}

	void accepted(int events) {
		this.accepted.increment(events);
	}

	void publishFailed() {
		this.publishFailures.increment();
	}

	void rejected(String reason, int requests) {
		Counter.builder("millrace.ingest.requests.rejected")
			.description("Requests rejected before publishing, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(requests);
	}

}
