package io.millrace.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.serializationInclusion(JsonInclude.Include.NON_NULL)
		.build();

	private MillraceJson() {
	}

	/**
	 * A shared, thread-safe mapper with the contract settings.
	 * @return the mapper
	 */
	public static ObjectMapper mapper() {
		return MAPPER;
	}

}
