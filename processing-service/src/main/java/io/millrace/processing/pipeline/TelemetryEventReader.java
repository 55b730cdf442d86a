package io.millrace.processing.pipeline;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.json.Rfc3339;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;

/**
 * Decodes {@code telemetry-raw} records in one pass with Jackson's streaming parser, for
 * the shape ingest writes (camelCase fields, no nulls, no duplicates), checking every
 * rule of the shared validator on the way; any other record — an alias such as
 * {@code sensor_id}, a null, an unknown field, a rule broken, text that is not JSON — is
 * handed to {@link ContractDecoders#telemetryEvents()}, which builds the tree, validates
 * and binds it. So what is accepted, what is rejected and every dead-letter reason and
 * detail are exactly the shared decoder's (a differential test holds the two together);
 * only the common case skips the tree. On the consumer thread the tree decode was the
 * largest single cost (docs/benchmarks.md).
 */
final class TelemetryEventReader implements Decoder<TelemetryEvent> {

	private static final JsonFactory JSON = MillraceJson.mapper().getFactory();

	private static final int MAX_ID_LENGTH = 128;

	private final Decoder<TelemetryEvent> contract = ContractDecoders.telemetryEvents();

	@Override
	public Decoded<TelemetryEvent> decode(byte[] payload) {
		// The narrowest shape straight from the bytes, then the parser, then the tree.
		TelemetryEvent event = TelemetryEventScanner.scan(payload);
		if (event == null) {
			event = readCommonShape(payload);
		}
		return (event != null) ? Decoded.valid(event) : this.contract.decode(payload);
	}

	/**
	 * The event if the payload has the common shape and is valid; null for anything the
	 * shared decoder must judge.
	 */
	static TelemetryEvent readCommonShape(byte[] payload) {
		if (payload == null || payload.length == 0) {
			return null;
		}
		try (JsonParser parser = JSON.createParser(payload)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			String eventId = null;
			String sensorId = null;
			Instant timestamp = null;
			Double value = null;
			Map<String, Double> measurements = null;
			Map<String, String> tags = null;
			Integer schemaVersion = null;
			Instant ingestedAt = null;
			int seen = 0;
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				token = parser.nextToken();
				int bit;
				switch (name) {
					case "eventId" -> {
						bit = 1;
						eventId = id(parser, token);
						if (eventId == null) {
							return null;
						}
					}
					case "sensorId" -> {
						bit = 2;
						sensorId = id(parser, token);
						if (sensorId == null) {
							return null;
						}
					}
					case "timestamp" -> {
						bit = 4;
						timestamp = dateTime(parser, token);
						if (timestamp == null) {
							return null;
						}
					}
					case "value" -> {
						bit = 8;
						value = finite(parser, token);
						if (value == null) {
							return null;
						}
					}
					case "measurements" -> {
						bit = 16;
						measurements = measurements(parser, token);
						if (measurements == null) {
							return null;
						}
					}
					case "tags" -> {
						bit = 32;
						tags = tags(parser, token);
						if (tags == null) {
							return null;
						}
					}
					case "schemaVersion" -> {
						bit = 64;
						if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
								|| parser.getIntValue() < 1) {
							return null;
						}
						schemaVersion = parser.getIntValue();
					}
					case "ingestedAt" -> {
						bit = 128;
						ingestedAt = dateTime(parser, token);
						if (ingestedAt == null) {
							return null;
						}
					}
					default -> {
						return null;
					}
				}
				if ((seen & bit) != 0) {
					return null;
				}
				seen |= bit;
			}
			if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
				return null;
			}
			if (sensorId == null || timestamp == null || (value == null && measurements == null)) {
				return null;
			}
			return new TelemetryEvent(eventId, sensorId, timestamp, value, measurements, tags, schemaVersion,
					ingestedAt);
		}
		catch (IOException | RuntimeException ex) {
			// Not JSON, or a number the parser cannot represent: the shared decoder
			// says why.
			return null;
		}
	}

	private static String id(JsonParser parser, JsonToken token) throws IOException {
		if (token != JsonToken.VALUE_STRING) {
			return null;
		}
		String text = parser.getText();
		if (text.isBlank() || text.codePointCount(0, text.length()) > MAX_ID_LENGTH) {
			return null;
		}
		return text;
	}

	private static Instant dateTime(JsonParser parser, JsonToken token) throws IOException {
		if (token != JsonToken.VALUE_STRING) {
			return null;
		}
		try {
			return Rfc3339.parse(parser.getText());
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** A finite number that fits a long or a double, as the tree would hold it. */
	private static Double finite(JsonParser parser, JsonToken token) throws IOException {
		if (token == JsonToken.VALUE_NUMBER_INT) {
			JsonParser.NumberType type = parser.getNumberType();
			if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
				return null;
			}
			return (double) parser.getLongValue();
		}
		if (token == JsonToken.VALUE_NUMBER_FLOAT) {
			double number = parser.getDoubleValue();
			return Double.isFinite(number) ? number : null;
		}
		return null;
	}

	private static Map<String, Double> measurements(JsonParser parser, JsonToken token) throws IOException {
		if (token != JsonToken.START_OBJECT) {
			return null;
		}
		Map<String, Double> measurements = new LinkedHashMap<>();
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String name = parser.currentName();
			Double reading = finite(parser, parser.nextToken());
			if (name.isBlank() || reading == null || measurements.put(name, reading) != null) {
				return null;
			}
		}
		return measurements.isEmpty() ? null : measurements;
	}

	private static Map<String, String> tags(JsonParser parser, JsonToken token) throws IOException {
		if (token != JsonToken.START_OBJECT) {
			return null;
		}
		Map<String, String> tags = new LinkedHashMap<>();
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String name = parser.currentName();
			if (parser.nextToken() != JsonToken.VALUE_STRING || tags.put(name, parser.getText()) != null) {
				return null;
			}
		}
		return tags;
	}

}
