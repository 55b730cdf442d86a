package io.millrace.model.json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON settings of the contracts, for code that runs without Spring Boot (the
 * engine's tests, the simulator, the launcher). Spring services get the same settings
 * from {@code spring.jackson.*} defaults: ISO-8601 dates and durations, unknown fields
 * ignored, nulls omitted.
 */
public final class MillraceJson {

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.addModule(new SimpleModule("millrace-rfc3339").addDeserializer(Instant.class, new InstantReader())
			.addSerializer(Instant.class, new InstantWriter()))
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.serializationInclusion(JsonInclude.Include.NON_NULL)
		.build();

	private MillraceJson() {
	}

	/**
	 * Date-time strings through {@link Rfc3339}; anything else as JavaTimeModule reads
	 * it.
	 */
	private static final class InstantReader extends StdDeserializer<Instant> {

		InstantReader() {
			super(Instant.class);
		}

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			if (parser.hasToken(JsonToken.VALUE_STRING)) {
				String text = parser.getText().trim();
				try {
					return Rfc3339.parse(text);
				}
				catch (DateTimeParseException ex) {
					// ISO forms RFC 3339 does not cover; JavaTimeModule decides.
				}
			}
			return InstantDeserializer.INSTANT.deserialize(parser, context);
		}

	}

	/** Instants as {@link Instant#toString()} writes them, through {@link Rfc3339}. */
	private static final class InstantWriter extends StdSerializer<Instant> {

		InstantWriter() {
			super(Instant.class);
		}

		@Override
		public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			generator.writeString(Rfc3339.format(value));
		}

	}

	/**
	 * A shared, thread-safe mapper with the contract settings.
	 * @return the mapper
	 */
	public static ObjectMapper mapper() {
		return MAPPER;
	}

	/**
	 * A contract object as the JSON bytes every topic carries.
	 * @param contract the object
	 * @return the JSON
	 */
	public static byte[] bytes(Object contract) {
		try {
			return MAPPER.writeValueAsBytes(contract);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write " + contract.getClass().getSimpleName() + " as JSON", ex);
		}
	}

}
