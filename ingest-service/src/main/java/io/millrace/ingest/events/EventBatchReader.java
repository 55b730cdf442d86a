package io.millrace.ingest.events;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.telemetry.TelemetryEventValidator;
import io.millrace.model.telemetry.Violation;

/**
 * Reads the body of {@code POST /api/v1/events} (one event object, or an array of them)
 * into events, or reports every violation with its JSON pointer into the request.
 */
final class EventBatchReader {

	private final ObjectMapper json = MillraceJson.mapper();

	private final int maxEvents;

	EventBatchReader(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	List<TelemetryEvent> read(JsonNode body) {
		List<JsonNode> items = new ArrayList<>();
		boolean batch = body.isArray();
		if (batch) {
			body.forEach(items::add);
		}
		else {
			items.add(body);
		}
		if (batch && items.isEmpty()) {
			throw new InvalidEventsException(List.of(new Violation("/", "must hold at least one event")));
		}
		if (items.size() > this.maxEvents) {
			throw new TooManyEventsException(items.size(), this.maxEvents);
		}
		List<Violation> violations = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			violations.addAll(TelemetryEventValidator.validate(items.get(i), batch ? "/" + i : ""));
		}
		if (!violations.isEmpty()) {
			throw new InvalidEventsException(violations);
		}
		List<TelemetryEvent> events = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			try {
				events.add(this.json.treeToValue(items.get(i), TelemetryEvent.class));
			}
			catch (JsonProcessingException ex) {
				throw new InvalidEventsException(
						List.of(new Violation(batch ? "/" + i : "/", "cannot be read: " + ex.getOriginalMessage())));
			}
		}
		return events;
	}

}
