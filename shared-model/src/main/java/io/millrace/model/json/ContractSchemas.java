package io.millrace.model.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The published JSON Schemas of the contracts, as shipped in this jar under
 * {@code schemas/}.
 */
public enum ContractSchemas {

	TELEMETRY_EVENT("telemetry-event"), WINDOW_AGGREGATE("window-aggregate"), ALERT_EVENT("alert-event"),
	SENSOR_METADATA("sensor-metadata"), AUDIT_ENTRY("audit-entry");

	private final String name;

	ContractSchemas(String name) {
		this.name = name;
	}

	/**
	 * The schema's short name, as used in URLs ({@code /api/v1/schemas/telemetry-event}).
	 * @return the name
	 */
	public String schemaName() {
		return this.name;
	}

	/**
	 * The schema document.
	 * @return the JSON text
	 */
	public String json() {
		String resource = "/schemas/" + this.name + ".schema.json";
		try (InputStream in = ContractSchemas.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Schema " + resource + " is missing from the shared-model jar");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
