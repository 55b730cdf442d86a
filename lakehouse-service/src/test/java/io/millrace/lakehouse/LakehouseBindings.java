package io.millrace.lakehouse;

import java.util.Map;

import io.millrace.model.binding.BoundDestinations;

/** The destinations lakehouse-service binds, on either binder. */
final class LakehouseBindings {

	static final BoundDestinations EXPECTED = new BoundDestinations(
			Map.of("writeBronze-in-0", "telemetry-raw", "writeGold-in-0", "telemetry-aggregates", "writeSilver-in-0",
					"telemetry-raw", "readSensorMetadata-in-0", "sensor-metadata"),
			Map.of("deadletter", "telemetry-deadletter"));

	private LakehouseBindings() {
	}

}
