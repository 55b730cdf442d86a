package io.millrace.model.telemetry;

import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.Rfc3339;

/**
 * Checks a JSON document against the published TelemetryEvent JSON Schema
 * ({@code schemas/telemetry-event.schema.json}) before it is bound, so that every problem
 * can be reported with the JSON pointer of the field that causes it. It accepts exactly
 * what the schema accepts, except numbers that are not finite 64-bit floats (such as
 * {@code 1e400}), which a schema cannot express and this refuses; a test holds the two to
 * that over thousands of generated documents.
 * <p>
 * Rules: {@code sensorId} (or {@code sensor_id}) is a non-blank string of at most 128
 * characters; {@code timestamp} (or {@code event_time}, {@code eventTime}) is an RFC 3339
 * date-time with an offset; at least one reading is present, as a finite {@code value}
 * number or a non-empty {@code measurements} object whose members are all finite numbers
 * with non-blank names; {@code tags} is an object of strings; {@code eventId} (or
 * {@code event_id}) a non-blank string of at most 128 characters; {@code schemaVersion}
 * (or {@code schema_version}) an integer of at least 1; {@code ingestedAt} (or
 * {@code ingested_at}) a date-time. Optional fields may be {@code null}. Every alias that
 * is present is checked. Unknown fields are allowed.
 */
public final class TelemetryEventValidator {

	static final int MAX_ID_LENGTH = 128;

	private static final String DATE_TIME_EXAMPLE = "must be an RFC 3339 date-time with an offset, for example 2026-02-05T10:00:00Z";

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
		checkRequired(event, pointer, violations, TelemetryEventValidator::checkId, "sensorId", "sensor_id");
		checkOptional(event, pointer, violations, TelemetryEventValidator::checkId, "eventId", "event_id");
		checkRequired(event, pointer, violations, TelemetryEventValidator::checkDateTime, "timestamp", "event_time",
				"eventTime");
		checkOptional(event, pointer, violations, TelemetryEventValidator::checkDateTime, "ingestedAt", "ingested_at");
		checkOptional(event, pointer, violations, TelemetryEventValidator::checkSchemaVersion, "schemaVersion",
				"schema_version");
		checkReadings(event, pointer, violations);
		checkTags(event, pointer, violations);
		return violations;
	}

	/** A check of one present field; returns the reason it is wrong, or null. */
	private interface FieldCheck {

		String reason(JsonNode value);

	}

	/**
	 * At least one of the names must be present; every present one, null included, is
	 * checked.
	 */
	private static void checkRequired(JsonNode event, String pointer, List<Violation> violations, FieldCheck check,
			String... names) {
		boolean present = false;
		for (String name : names) {
			JsonNode node = event.get(name);
			if (node != null) {
				present = true;
				String reason = node.isNull() ? "must not be null" : check.reason(node);
				if (reason != null) {
					violations.add(new Violation(pointer + "/" + name, reason));
				}
			}
		}
		if (!present) {
			violations.add(new Violation(pointer + "/" + names[0], "is required"));
		}
	}

	/** Every present, non-null name is checked. */
	private static void checkOptional(JsonNode event, String pointer, List<Violation> violations, FieldCheck check,
			String... names) {
		for (String name : names) {
			JsonNode node = event.get(name);
			if (node != null && !node.isNull()) {
				String reason = check.reason(node);
				if (reason != null) {
					violations.add(new Violation(pointer + "/" + name, reason));
				}
			}
		}
	}

	private static String checkId(JsonNode node) {
		if (!node.isTextual() || node.textValue().isBlank()) {
			return "must be a non-blank string";
		}
		if (node.textValue().codePointCount(0, node.textValue().length()) > MAX_ID_LENGTH) {
			return "must be at most " + MAX_ID_LENGTH + " characters";
		}
		return null;
	}

	private static String checkDateTime(JsonNode node) {
		if (!node.isTextual()) {
			return DATE_TIME_EXAMPLE;
		}
		try {
			Rfc3339.parse(node.textValue());
			return null;
		}
		catch (DateTimeParseException ex) {
			return DATE_TIME_EXAMPLE;
		}
	}

	private static String checkSchemaVersion(JsonNode node) {
		boolean integral = node.isIntegralNumber()
				|| (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble()));
		if (!integral || node.asDouble() < 1) {
			return "must be an integer of at least 1";
		}
		return null;
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
