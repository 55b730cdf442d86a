package io.millrace.alerting;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** What alerting-service binds to, on either binder. */
final class AlertingBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(
			Map.of("evaluateAggregates-in-0", "telemetry-aggregates", "evaluateReadings-in-0", "telemetry-raw"),
			Map.of("alerts", "alerts", "deadletter", "telemetry-deadletter"));

	private AlertingBindings() {
	}

}
