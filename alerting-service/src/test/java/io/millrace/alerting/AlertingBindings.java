package io.millrace.alerting;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** What alerting-service binds to, on either binder. */
final class AlertingBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(
			Map.of("evaluateAggregates-in-0", "telemetry-aggregates", "evaluateReadings-in-0", "telemetry-raw",
					"readDeliveryLog-in-0", "alerting-deliveries", "readSensorMetadata-in-0", "sensor-metadata",
					"readAudit-in-0", "audit"),
			Map.of("alerts", "alerts", "deadletter", "telemetry-deadletter", "deliveries", "alerting-deliveries",
					"audit", "audit"));

	private AlertingBindings() {
	}

}
