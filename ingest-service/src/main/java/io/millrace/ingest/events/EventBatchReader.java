package io.millrace.ingest.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Reads the body of {@code POST /api/v1/events} — one event object, a JSON array of them,
 * or NDJSON (one event per line) — into events, and reports every bad event with its
 * index, the JSON pointer of the problem and the reason.
 */
final class EventBatchReader {

	private final ObjectMapper json = MillraceJson.mapper();

	private final int maxEvents;

	EventBatchReader(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	/**
	 * A JSON body: one event, or an array of them.
	 * @param body the bytes
	 * @return the items
	 * @throws MalformedBodyException if the body is not JSON
	 */
	Items parseJson(byte[] body) {
		JsonNode tree;
		try {
			tree = this.json.readTree(body);
		}
		catch (IOException ex) {
			throw new MalformedBodyException(
					"The body is not valid JSON: " + firstLine((ex instanceof JsonProcessingException processing)
							? processing.getOriginalMessage() : ex.getMessage()));
		}
		if (tree == null || tree.isMissingNode()) {
			throw new MalformedBodyException("The body is empty");
		}
		List<Item> items = new ArrayList<>();
		if (tree.isArray()) {
			tree.forEach((node) -> items.add(Item.of(items.size(), node)));
			return new Items(true, items);
		}
		items.add(Item.of(0, tree));
		return new Items(false, items);
	}

	/**
	 * An NDJSON body: one event per line; blank lines are ignored, and a line that is not
	 * JSON is a bad event like any other.
	 * @param body the bytes
	 * @return the items
	 */
	Items parseNdjson(byte[] body) {
		List<Item> items = new ArrayList<>();
		for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			try {
				items.add(Item.of(items.size(), this.json.readTree(line)));
			}
			catch (JsonProcessingException ex) {
				items.add(Item.bad(items.size(),
						List.of(new Violation("", "is not JSON: " + firstLine(ex.getOriginalMessage())))));
			}
		}
		return new Items(true, items);
	}

	/**
	 * Validate and bind the items.
	 * @param items what the body held
	 * @param acceptValid whether good events are accepted when others are bad
	 * @return the good events and the bad ones
	 * @throws InvalidEventsException if any event is bad and {@code acceptValid} is
	 * false, or if no event is good
	 * @throws TooManyEventsException if there are more events than the limit
	 */
	Outcome read(Items items, boolean acceptValid) {
		if (items.batch() && items.items().isEmpty()) {
			throw new InvalidEventsException(List.of(new BadEvent(null, "/", "must hold at least one event")));
		}
		if (items.items().size() > this.maxEvents) {
			throw new TooManyEventsException(items.items().size(), this.maxEvents);
		}
		List<TelemetryEvent> events = new ArrayList<>();
		List<Integer> indexes = new ArrayList<>();
		List<JsonNode> sent = new ArrayList<>();
		List<BadEvent> bad = new ArrayList<>();
		for (Item item : items.items()) {
			Integer index = items.batch() ? item.index() : null;
			String prefix = items.batch() ? "/" + item.index() : "";
			if (item.tree() == null) {
				item.problems()
					.forEach((problem) -> bad
						.add(new BadEvent(index, pointer(prefix + problem.pointer()), problem.reason())));
				continue;
			}
			List<Violation> violations = TelemetryEventValidator.validate(item.tree(), prefix + item.within());
			if (violations.isEmpty()) {
				try {
					events.add(this.json.treeToValue(item.tree(), TelemetryEvent.class));
					indexes.add(item.index());
					sent.add(item.tree());
					continue;
				}
				catch (JsonProcessingException ex) {
					violations = List.of(new Violation(prefix.isEmpty() ? "/" : prefix,
							"cannot be read: " + ex.getOriginalMessage()));
				}
			}
			violations.forEach((violation) -> bad.add(new BadEvent(index, violation.pointer(), violation.reason())));
		}
		if (!bad.isEmpty() && (!acceptValid || events.isEmpty())) {
			throw new InvalidEventsException(bad);
		}
		return new Outcome(events, indexes, sent, bad);
	}

	private static String pointer(String pointer) {
		return pointer.isEmpty() ? "/" : pointer;
	}

	/** The first line of a parser message: the rest repeats the input back. */
	static String firstLine(String text) {
		if (text == null) {
			return "unreadable";
		}
		int newline = text.indexOf('\n');
		return (newline < 0) ? text : text.substring(0, newline);
	}

	/**
	 * What a body held.
	 *
	 * @param batch whether it was a batch (an array or NDJSON) rather than one object
	 * @param items the items, in order
	 */
	record Items(boolean batch, List<Item> items) {
	}

	/**
	 * One item of a body.
	 *
	 * @param index its position in the batch
	 * @param tree the event's JSON, or {@code null} when the item holds no readable event
	 * @param within the JSON pointer of the event within the item ({@code ""}, or
	 * {@code "/data"} in a CloudEvent)
	 * @param problems why the item holds no readable event, with pointers within it
	 */
	record Item(int index, JsonNode tree, String within, List<Violation> problems) {

		static Item of(int index, JsonNode tree) {
			return new Item(index, tree, "", List.of());
		}

		static Item bad(int index, List<Violation> problems) {
			return new Item(index, null, "", problems);
		}

	}

	/**
	 * The result of reading a body.
	 *
	 * @param events the good events, in request order
	 * @param indexes the index of each good event in the request
	 * @param sent the JSON the client sent for each good event
	 * @param bad every problem of the bad events, in request order
	 */
	record Outcome(List<TelemetryEvent> events, List<Integer> indexes, List<JsonNode> sent, List<BadEvent> bad) {
	}

}
