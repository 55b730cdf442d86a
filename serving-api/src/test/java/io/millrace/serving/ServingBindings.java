package io.millrace.serving;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** What serving-api binds to, on either binder. */
final class ServingBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(
			Map.of("receiveAggregates-in-0", "telemetry-aggregates", "receiveAlerts-in-0", "alerts",
					"receiveSensorMetadata-in-0", "sensor-metadata"),
			Map.of("deadletter", "telemetry-deadletter", "sensorMetadata", "sensor-metadata"));

	private ServingBindings() {
	}

}
