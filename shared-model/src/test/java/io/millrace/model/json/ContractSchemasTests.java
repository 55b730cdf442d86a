package io.millrace.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ContractSchemasTests {

	@ParameterizedTest
	@EnumSource(ContractSchemas.class)
	void everySchemaShouldBeShippedAndNameItsContract(ContractSchemas schema) throws Exception {
		JsonNode document = MillraceJson.mapper().readTree(schema.json());

		assertThat(document.get("$schema").asText()).contains("2020-12");
		assertThat(document.get("$id").asText()).endsWith(schema.schemaName() + ".schema.json");
	}

}
