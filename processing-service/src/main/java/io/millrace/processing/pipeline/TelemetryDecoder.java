package io.millrace.processing.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.telemetry.TelemetryEventValidator;
import io.millrace.model.telemetry.Violation;

/**
 * Turns a record from {@code telemetry-raw} into a valid event, or says precisely why it
 * cannot: ingest validates too, but the topic may have other writers.
 */
final class TelemetryDecoder {

	private final ObjectMapper json = MillraceJson.mapper();

	Decoded decode(byte[] payload) {
		JsonNode tree;
		try {
			tree = this.json.readTree(payload);
		}
		catch (JsonProcessingException ex) {
			return Decoded.rejected("undecodable", "not JSON: " + ex.getOriginalMessage());
		}
		catch (IOException ex) {
			return Decoded.rejected("undecodable", "not JSON: " + ex.getMessage());
		}
		if (tree == null || tree.isMissingNode()) {
			return Decoded.rejected("undecodable", "empty record");
		}
		List<Violation> violations = TelemetryEventValidator.validate(tree, "");
		if (!violations.isEmpty()) {
			return Decoded.rejected("schema-invalid",
					violations.stream()
						.map((violation) -> violation.pointer() + " " + violation.reason())
						.collect(Collectors.joining("; ")));
		}
		try {
			return new Decoded(this.json.treeToValue(tree, TelemetryEvent.class), null, null);
		}
		catch (JsonProcessingException ex) {
			return Decoded.rejected("schema-invalid", ex.getOriginalMessage());
		}
	}

	/**
	 * The outcome of decoding: an event, or a reason code and message.
	 *
	 * @param event the event, when valid
	 * @param reason short reason code for metrics, when rejected
	 * @param detail human-readable explanation, when rejected
	 */
	record Decoded(TelemetryEvent event, String reason, String detail) {

		static Decoded rejected(String reason, String detail) {
			return new Decoded(null, reason, detail);
		}

		boolean isValid() {
			return this.event != null;
		}

	}

}
