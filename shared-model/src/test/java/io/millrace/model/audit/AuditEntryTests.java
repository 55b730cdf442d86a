package io.millrace.model.audit;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.millrace.model.json.ContractSchemas;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEntryTests {

	private static final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
		.getSchema(ContractSchemas.AUDIT_ENTRY.json(),
				SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

	@Test
	void anUpdateRoundTripsAndConformsToItsSchema() throws Exception {
		JsonNode before = MillraceJson.mapper().readTree("{\"id\":\"pump-hot\",\"threshold\":80}");
		JsonNode after = MillraceJson.mapper().readTree("{\"id\":\"pump-hot\",\"threshold\":85}");
		AuditEntry entry = new AuditEntry("au-1", Instant.parse("2026-12-02T10:00:00Z"), "alerting-service",
				new AuditEntry.Actor(AuditEntry.Actor.ENTRA_USER, "11111111-2222-3333-4444-555555555555",
						"ops@example.com"),
				"rule.updated", new AuditEntry.Resource("rule", "pump-hot"), before, after, null);

		String json = MillraceJson.mapper().writeValueAsString(entry);
		JsonNode tree = MillraceJson.mapper().readTree(json);

		assertThat(schema.validate(tree)).isEmpty();
		assertThat(tree.has("detail")).isFalse();
		assertThat(tree.get("time").asText()).isEqualTo("2026-12-02T10:00:00Z");
		assertThat(MillraceJson.mapper().readValue(json, AuditEntry.class)).isEqualTo(entry);
		assertThat(entry.key()).isEqualTo("rule/pump-hot");
	}

	@Test
	void aCreationHasNoBeforeAndTheSchemaRefusesAnEntryWithoutItsActor() throws Exception {
		AuditEntry created = new AuditEntry("au-2", Instant.parse("2026-12-02T10:00:00Z"), "alerting-service",
				new AuditEntry.Actor(AuditEntry.Actor.API_KEY, "ops", null), "silence.created",
				new AuditEntry.Resource("silence", "s-1"), null, MillraceJson.mapper().readTree("{\"id\":\"s-1\"}"),
				null);
		JsonNode tree = MillraceJson.mapper().valueToTree(created);
		assertThat(schema.validate(tree)).isEmpty();
		assertThat(tree.has("before")).isFalse();

		((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("actor");
		assertThat(schema.validate(tree)).extracting(Object::toString).anyMatch((m) -> m.contains("actor"));
	}

}
