package io.millrace.processing;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** What processing-service binds to, on either binder. */
final class ProcessingBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(Map.of("processTelemetry-in-0", "telemetry-raw"),
			Map.of("aggregates", "telemetry-aggregates", "late", "telemetry-late", "deadletter",
					"telemetry-deadletter"));

	private ProcessingBindings() {
	}

}
