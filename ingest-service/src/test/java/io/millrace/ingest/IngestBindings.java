package io.millrace.ingest;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** What ingest-service binds to, on either binder. */
final class IngestBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(Map.of(), Map.of("telemetry", "telemetry-raw"));

	private IngestBindings() {
	}

}
