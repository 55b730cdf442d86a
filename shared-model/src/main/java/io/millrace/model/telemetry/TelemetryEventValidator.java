package io.millrace.model.telemetry;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.Rfc3339;

/**
 * Checks a JSON document against the TelemetryEvent contract before it is bound, so that
 * every problem can be reported with the JSON pointer of the field that causes it.
 * <p>
 * Rules: {@code sensorId} (or {@code sensor_id}) is a non-blank string; {@code timestamp}
 * is an RFC 3339 date-time with an offset; at least one reading is present, as a finite
 * {@code value} number or a {@code measurements} object whose members are all finite
 * numbers; {@code tags}, when present, is an object of strings; {@code eventId}, when
 * present, is a non-blank string of at most 128 characters. Unknown fields are allowed.
 */
public final class TelemetryEventValidator {

	static final int MAX_ID_LENGTH = 128;

	private TelemetryEventValidator() {
	}

	/**
	 * Validate one event.
	 * @param event the JSON document of the event
	 * @param pointer JSON pointer of the event within the request ({@code ""} for a
	 * single event, {@code "/7"} for the eighth element of an array)
	 * @return the violations, empty when the event is valid
	 */
	public static List<Violation> validate(JsonNode event, String pointer) {
		List<Violation> violations = new ArrayList<>();
		if (event == null || !event.isObject()) {
			violations.add(new Violation(pointerOrRoot(pointer), "must be a JSON object"));
			return violations;
		}
		checkId(event, pointer, violations, "sensorId", "sensor_id", true);
		checkId(event, pointer, violations, "eventId", "event_id", false);
		checkTimestamp(event, pointer, violations);
		checkReadings(event, pointer, violations);
		checkTags(event, pointer, violations);
		return violations;
	}

	private static void checkId(JsonNode event, String pointer, List<Violation> violations, String name, String alias,
			boolean required) {
		String field = event.has(name) ? name : (event.has(alias) ? alias : name);
		JsonNode node = event.get(field);
		if (node == null || node.isNull()) {
			if (required) {
				violations.add(new Violation(pointer + "/" + field, "is required"));
			}
			return;
		}
		if (!node.isTextual() || node.textValue().isBlank()) {
			violations.add(new Violation(pointer + "/" + field, "must be a non-blank string"));
		}
		else if (node.textValue().length() > MAX_ID_LENGTH) {
			violations.add(new Violation(pointer + "/" + field, "must be at most " + MAX_ID_LENGTH + " characters"));
		}
	}

	private static void checkTimestamp(JsonNode event, String pointer, List<Violation> violations) {
		String field = event.has("timestamp") ? "timestamp"
				: (event.has("event_time") ? "event_time" : (event.has("eventTime") ? "eventTime" : "timestamp"));
		JsonNode node = event.get(field);
		if (node == null || node.isNull()) {
			violations.add(new Violation(pointer + "/" + field, "is required"));
			return;
		}
		if (!node.isTextual()) {
			violations.add(new Violation(pointer + "/" + field,
					"must be an RFC 3339 date-time string, for example 2026-02-05T10:00:00Z"));
			return;
		}
		try {
			Rfc3339.parse(node.textValue());
		}
		catch (DateTimeParseException ex) {
			violations.add(new Violation(pointer + "/" + field,
					"must be an RFC 3339 date-time with an offset, for example 2026-02-05T10:00:00Z"));
		}
	}

	private static void checkReadings(JsonNode event, String pointer, List<Violation> violations) {
		JsonNode value = event.get("value");
		JsonNode measurements = event.get("measurements");
		boolean hasValue = value != null && !value.isNull();
		boolean hasMeasurements = measurements != null && !measurements.isNull();
		if (!hasValue && !hasMeasurements) {
			violations.add(new Violation(pointer + "/value", "is required when measurements is absent"));
			return;
		}
		if (hasValue && !isFiniteNumber(value)) {
			violations.add(new Violation(pointer + "/value", "must be a finite number"));
		}
		if (hasMeasurements) {
			if (!measurements.isObject() || measurements.isEmpty()) {
				violations.add(new Violation(pointer + "/measurements",
						"must be a non-empty object of metric name to number"));
				return;
			}
			Iterator<Map.Entry<String, JsonNode>> fields = measurements.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> metric = fields.next();
				if (metric.getKey().isBlank()) {
					violations.add(new Violation(pointer + "/measurements/", "metric names must be non-blank"));
				}
				else if (!isFiniteNumber(metric.getValue())) {
					violations.add(new Violation(pointer + "/measurements/" + escape(metric.getKey()),
							"must be a finite number"));
				}
			}
		}
	}

	private static void checkTags(JsonNode event, String pointer, List<Violation> violations) {
		JsonNode tags = event.get("tags");
		if (tags == null || tags.isNull()) {
			return;
		}
		if (!tags.isObject()) {
			violations.add(new Violation(pointer + "/tags", "must be an object of string to string"));
			return;
		}
		tags.fields().forEachRemaining((tag) -> {
			if (!tag.getValue().isTextual()) {
				violations.add(new Violation(pointer + "/tags/" + escape(tag.getKey()), "must be a string"));
			}
		});
	}

	private static boolean isFiniteNumber(JsonNode node) {
		return node.isNumber() && Double.isFinite(node.asDouble());
	}

	private static String pointerOrRoot(String pointer) {
		return pointer.isEmpty() ? "/" : pointer;
	}

	/** Escapes a member name for use in a JSON pointer (RFC 6901 section 3). */
	static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

}
