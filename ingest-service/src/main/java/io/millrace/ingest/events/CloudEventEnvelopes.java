package io.millrace.ingest.events;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.model.telemetry.Violation;

import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * CloudEvents 1.0 in structured mode ({@code application/cloudevents+json}, one event)
 * and batch mode ({@code application/cloudevents-batch+json}, an array): each envelope's
 * {@code data} is a TelemetryEvent. The envelope is checked (specversion 1.0, non-empty
 * {@code id}, {@code source}, {@code type}, JSON data); the CloudEvent {@code id} becomes
 * the {@code eventId} and its {@code time} the {@code timestamp} when the data has none;
 * the context attributes are kept on {@code telemetry-raw} under {@code cloudEvent}.
 */
final class CloudEventEnvelopes {

	static final String STRUCTURED = "application/cloudevents+json";

	static final String BATCH = "application/cloudevents-batch+json";

	private static final List<String> REQUIRED = List.of("id", "source", "type");

	private static final List<String> KEPT = List.of("id", "source", "type", "subject", "time");

	private CloudEventEnvelopes() {
	}

	/**
	 * @param envelopes the items of a CloudEvents body
	 * @param batchMode whether the body was sent as a batch ({@link #BATCH}) rather than
	 * one event ({@link #STRUCTURED})
	 * @return items holding the data of each envelope, or its problems
	 * @throws MalformedBodyException if the body's shape does not match its media type
	 */
	static EventBatchReader.Items open(EventBatchReader.Items envelopes, boolean batchMode) {
		if (envelopes.batch() != batchMode) {
			throw new MalformedBodyException(batchMode
					? "A CloudEvents batch (" + BATCH + ") is a JSON array of CloudEvents; send one CloudEvent as "
							+ STRUCTURED
					: "A structured CloudEvent (" + STRUCTURED + ") is one JSON object; send an array as " + BATCH);
		}
		List<EventBatchReader.Item> events = new ArrayList<>(envelopes.items().size());
		for (EventBatchReader.Item envelope : envelopes.items()) {
			events.add((envelope.tree() != null) ? open(envelope.index(), envelope.tree()) : envelope);
		}
		return new EventBatchReader.Items(envelopes.batch(), events);
	}

	private static EventBatchReader.Item open(int index, JsonNode envelope) {
		if (!envelope.isObject()) {
			return EventBatchReader.Item.bad(index, List.of(new Violation("", "must be a CloudEvent (a JSON object)")));
		}
		List<Violation> problems = new ArrayList<>();
		if (!"1.0".equals(envelope.path("specversion").textValue())) {
			problems.add(new Violation("/specversion", "must be \"1.0\""));
		}
		for (String attribute : REQUIRED) {
			JsonNode value = envelope.get(attribute);
			if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
				problems.add(new Violation("/" + attribute, "is required: a non-empty string"));
			}
		}
		JsonNode contentType = envelope.get("datacontenttype");
		if (contentType != null && !isJson(contentType)) {
			problems.add(new Violation("/datacontenttype",
					"must be application/json (or absent): data is a TelemetryEvent"));
		}
		if (envelope.has("data_base64")) {
			problems.add(new Violation("/data_base64", "is not supported: send the TelemetryEvent as JSON in data"));
		}
		else if (!envelope.has("data") || envelope.get("data").isNull()) {
			problems.add(new Violation("/data", "is required: the TelemetryEvent"));
		}
		if (!problems.isEmpty()) {
			return EventBatchReader.Item.bad(index, problems);
		}
		JsonNode data = envelope.get("data");
		if (!data.isObject()) {
			// The validator reports it, at /data.
			return new EventBatchReader.Item(index, data, "/data", List.of());
		}
		ObjectNode event = ((ObjectNode) data).deepCopy();
		if (!event.has("eventId") && !event.has("event_id")) {
			event.set("eventId", envelope.get("id"));
		}
		JsonNode time = envelope.get("time");
		if (time != null && !event.has("timestamp") && !event.has("event_time") && !event.has("eventTime")) {
			event.set("timestamp", time);
		}
		ObjectNode context = event.objectNode();
		for (String attribute : KEPT) {
			if (envelope.hasNonNull(attribute)) {
				context.set(attribute, envelope.get(attribute));
			}
		}
		event.set("cloudEvent", context);
		return new EventBatchReader.Item(index, event, "/data", List.of());
	}

	private static boolean isJson(JsonNode contentType) {
		try {
			MimeType type = MimeTypeUtils.parseMimeType(contentType.asText());
			return ("application".equals(type.getType()) && "json".equals(type.getSubtype()))
					|| "json".equals(type.getSubtypeSuffix());
		}
		catch (InvalidMimeTypeException ex) {
			return false;
		}
	}

}
