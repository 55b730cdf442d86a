package io.millrace.model.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.millrace.model.json.ContractSchemas;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds {@link TelemetryEventValidator} to the published TelemetryEvent JSON Schema: over
 * thousands of generated documents (every field valid, wrong-typed, null, blank, too
 * long, aliased, duplicated under an alias, absent), checked by an independent JSON
 * Schema implementation with format assertions on, the validator accepts a document
 * exactly when the schema does, except that it also refuses numbers that are not finite
 * 64-bit floats. Set {@code -Dmillrace.schema.seed} to replay a run.
 */
class TelemetryEventSchemaConformanceTests {

	static final int DOCUMENTS = 20_000;

	static final String FINITE = "must be a finite number";

	final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
		.getSchema(ContractSchemas.TELEMETRY_EVENT.json(),
				SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

	@Test
	void theValidatorAcceptsExactlyWhatTheSchemaAccepts() throws Exception {
		long seed = Long.getLong("millrace.schema.seed", 20261127L);
		Random random = new Random(seed);
		int accepted = 0;
		int refusedForNonFiniteNumbersOnly = 0;
		for (int i = 0; i < DOCUMENTS; i++) {
			String text = document(random);
			JsonNode event = MillraceJson.mapper().readTree(text);
			Set<ValidationMessage> schemaErrors = this.schema.validate(event);
			List<Violation> violations = TelemetryEventValidator.validate(event, "");
			if (violations.isEmpty()) {
				assertThat(schemaErrors).as("seed %d: the schema refuses what the validator accepts: %s", seed, text)
					.isEmpty();
				accepted++;
			}
			else if (schemaErrors.isEmpty()) {
				assertThat(violations).as("seed %d: the validator refuses what the schema accepts: %s", seed, text)
					.allSatisfy((violation) -> assertThat(violation.reason()).isEqualTo(FINITE));
				refusedForNonFiniteNumbersOnly++;
			}
		}
		// The generator reaches both sides and the one documented difference.
		assertThat(accepted).isBetween(DOCUMENTS / 50, DOCUMENTS / 2);
		assertThat(refusedForNonFiniteNumbersOnly).isPositive();
	}

	@Test
	void theSchemasOwnExamplesAreValidForBoth() {
		JsonNode examples = readSchema().get("examples");
		assertThat(examples).isNotEmpty();
		examples.forEach((example) -> {
			assertThat(this.schema.validate(example)).isEmpty();
			assertThat(TelemetryEventValidator.validate(example, "")).isEmpty();
		});
	}

	private static JsonNode readSchema() {
		try {
			return MillraceJson.mapper().readTree(ContractSchemas.TELEMETRY_EVENT.json());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One document: each field drawn from valid and invalid variants, as JSON text. */
	private static String document(Random random) {
		if (random.nextInt(200) == 0) {
			return pick(random, "[]", "\"event\"", "42", "null", "[{\"sensorId\": \"s\"}]");
		}
		List<String> members = new ArrayList<>();
		add(members, random, 0.9, pick(random, "sensorId", "sensorId", "sensor_id"), ID_VALUES);
		add(members, random, 0.05, "sensor_id", ID_VALUES);
		add(members, random, 0.3, pick(random, "eventId", "event_id"), OPTIONAL_ID_VALUES);
		add(members, random, 0.9, pick(random, "timestamp", "timestamp", "event_time", "eventTime"), DATE_TIMES);
		add(members, random, 0.05, "eventTime", DATE_TIMES);
		add(members, random, 0.7, "value", NUMBERS);
		add(members, random, 0.4, "measurements", MEASUREMENTS);
		add(members, random, 0.3, "tags", TAGS);
		add(members, random, 0.3, pick(random, "schemaVersion", "schema_version"), SCHEMA_VERSIONS);
		add(members, random, 0.1, pick(random, "ingestedAt", "ingested_at"), OPTIONAL_DATE_TIMES);
		add(members, random, 0.2, pick(random, "site", "firmware", "nested"), UNKNOWN_VALUES);
		java.util.Collections.shuffle(members, random);
		return "{" + String.join(", ", members) + "}";
	}

	private static void add(List<String> members, Random random, double probability, String name, String[] values) {
		if (random.nextDouble() < probability) {
			// Mostly valid values, so that whole documents are valid often enough.
			String value = (random.nextDouble() < 0.8) ? values[0] : values[random.nextInt(values.length)];
			members.add("\"" + name + "\": " + value);
		}
	}

	private static String pick(Random random, String... choices) {
		return choices[random.nextInt(choices.length)];
	}

	static final String LONG = "x".repeat(128);

	/** The first of each list is valid. */
	static final String[] ID_VALUES = { "\"pump-7\"", "\"s1\"", "\"" + LONG + "\"", "\"" + LONG + "y\"", "\"\"",
			"\"   \"", "\"\\t\"", "42", "null", "true", "{}", "[\"a\"]", "\"é-ünï-\uD83D\uDE00\"" };

	static final String[] OPTIONAL_ID_VALUES = { "\"018f6a2e-0000-7000-8000-000000000001\"", "null", "\"\"", "\" \"",
			"7", "\"" + LONG + "\"", "\"" + LONG + "z\"", "[]" };

	static final String[] DATE_TIMES = { "\"2026-02-05T10:00:00Z\"", "\"2026-02-05T10:00:00.250Z\"",
			"\"2026-02-05T11:00:00+01:00\"", "\"2026-02-05T10:00:00.123456789-05:30\"", "\"2026-02-05\"",
			"\"2026-02-05T10:00:00\"", "\"yesterday\"", "\"\"", "1700000000", "null", "{}", "\"2026-13-05T10:00:00Z\"",
			"\"2026-02-05T25:00:00Z\"" };

	static final String[] OPTIONAL_DATE_TIMES = { "\"2026-02-05T10:00:01Z\"", "null", "\"later\"", "12", "[]" };

	static final String[] NUMBERS = { "42", "-2.5", "0", "1.0e3", "null", "\"12\"", "true", "[1]", "{}", "1e400",
			"-1e400" };

	static final String[] MEASUREMENTS = { "{\"temperature\": 71.5, \"pressure\": 2.1}", "{\"a/b~c\": 1}", "{}", "null",
			"{\"a\": \"x\"}", "{\"\": 1}", "{\" \": 1}", "{\"a\": 1, \"b\": null}", "5", "[1, 2]", "{\"a\": 1e400}",
			"{\"a\": true}" };

	static final String[] TAGS = { "{\"site\": \"rotterdam\"}", "{}", "null", "{\"site\": 1}", "\"site\"",
			"{\"a\": \"b\", \"c\": null}", "[]" };

	static final String[] SCHEMA_VERSIONS = { "1", "2", "0", "-1", "null", "\"1\"", "1.5", "true" };

	static final String[] UNKNOWN_VALUES = { "\"kept\"", "1", "null", "{\"deep\": [1, {\"x\": null}]}", "1e400" };

}
