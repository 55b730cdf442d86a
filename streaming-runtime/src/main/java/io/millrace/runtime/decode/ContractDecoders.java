package io.millrace.runtime.decode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.telemetry.TelemetryEventValidator;
import io.millrace.model.telemetry.Violation;

/**
 * One decoder per contract, the same in every service: what is not JSON is
 * {@link DeadLetters#UNDECODABLE}, JSON that breaks the contract is
 * {@link DeadLetters#SCHEMA_INVALID} with the fields it breaks.
 */
public final class ContractDecoders {

	private static final ObjectMapper JSON = MillraceJson.mapper();

	private ContractDecoders() {
	}

	/**
	 * Records of {@code telemetry-raw}: ingest validates too, but the topic may have
	 * other writers, so the full contract is checked (the same validator as ingest's).
	 * @return the decoder
	 */
	public static Decoder<TelemetryEvent> telemetryEvents() {
		return (payload) -> decode(payload, (tree) -> {
			List<Violation> violations = TelemetryEventValidator.validate(tree, "");
			return violations.stream()
				.map((violation) -> violation.pointer() + " " + violation.reason())
				.collect(Collectors.toList());
		}, TelemetryEvent.class);
	}

	/**
	 * Records of {@code telemetry-aggregates}: the fields consumers upsert on must be
	 * there.
	 * @return the decoder
	 */
	public static Decoder<WindowAggregate> windowAggregates() {
		return (payload) -> decode(payload, (tree) -> {
			List<String> violations = new ArrayList<>();
			requireText(tree, "/sensorId", violations);
			requireText(tree, "/metric", violations);
			requireText(tree, "/window/kind", violations);
			requireText(tree, "/window/start", violations);
			requireText(tree, "/window/end", violations);
			if (!tree.at("/count").canConvertToLong() || tree.at("/count").asLong() < 1) {
				violations.add("/count must be a positive integer");
			}
			return violations;
		}, WindowAggregate.class);
	}

	/**
	 * Records of the {@code alerts} topic.
	 * @return the decoder
	 */
	public static Decoder<AlertEvent> alertEvents() {
		return (payload) -> decode(payload, (tree) -> {
			List<String> violations = new ArrayList<>();
			requireText(tree, "/alertId", violations);
			requireText(tree, "/ruleId", violations);
			requireText(tree, "/fingerprint", violations);
			requireText(tree, "/status", violations);
			return violations;
		}, AlertEvent.class);
	}

	private static void requireText(JsonNode tree, String pointer, List<String> violations) {
		JsonNode node = tree.at(pointer);
		if (!node.isTextual() || node.asText().isBlank()) {
			violations.add(pointer + " is required");
		}
	}

	private static <T> Decoded<T> decode(byte[] payload, Function<JsonNode, List<String>> validate, Class<T> type) {
		JsonNode tree;
		try {
			tree = JSON.readTree(payload);
		}
		catch (JsonProcessingException ex) {
			return Decoded.rejected(DeadLetters.UNDECODABLE, "not JSON: " + ex.getOriginalMessage());
		}
		catch (IOException ex) {
			return Decoded.rejected(DeadLetters.UNDECODABLE, "not JSON: " + ex.getMessage());
		}
		if (tree == null || tree.isMissingNode()) {
			return Decoded.rejected(DeadLetters.UNDECODABLE, "empty record");
		}
		if (!tree.isObject()) {
			return Decoded.rejected(DeadLetters.SCHEMA_INVALID, "not a JSON object");
		}
		List<String> violations = validate.apply(tree);
		if (!violations.isEmpty()) {
			return Decoded.rejected(DeadLetters.SCHEMA_INVALID, String.join("; ", violations));
		}
		try {
			return Decoded.valid(JSON.treeToValue(tree, type));
		}
		catch (JsonProcessingException ex) {
			return Decoded.rejected(DeadLetters.SCHEMA_INVALID, ex.getOriginalMessage());
		}
	}

}
