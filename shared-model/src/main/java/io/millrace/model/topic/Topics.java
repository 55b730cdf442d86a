package io.millrace.model.topic;

/**
 * Default names of the topics (Event Hubs) that connect the services. The names are
 * configuration in every service; these are the defaults. The telemetry topics are keyed
 * by {@code sensorId}.
 */
public final class Topics {

	/** Validated events from ingest. */
	public static final String TELEMETRY_RAW = "telemetry-raw";

	/** Window aggregates from processing. */
	public static final String TELEMETRY_AGGREGATES = "telemetry-aggregates";

	/** Events that arrived after their window closed. */
	public static final String TELEMETRY_LATE = "telemetry-late";

	/** Records that could not be processed, with the reason. */
	public static final String TELEMETRY_DEADLETTER = "telemetry-deadletter";

	/** Alert state changes. */
	public static final String ALERTS = "alerts";

	/** The sensor registry's reference data, compacted, keyed by sensorId. */
	public static final String SENSOR_METADATA = "sensor-metadata";

	/**
	 * Changes made through admin APIs ({@code AuditEntry}), keyed by the changed
	 * resource, not by sensorId.
	 */
	public static final String AUDIT = "audit";

	private Topics() {
	}

}
