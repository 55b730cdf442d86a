package io.millrace.ingest.schemas;

import java.util.Arrays;

import io.millrace.model.json.ContractSchemas;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Serves the published JSON Schemas of the contracts, for example
 * {@code telemetry-event}.
 */
@RestController
class SchemasController {

	static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

	@GetMapping("/api/v1/schemas/{name}")
	ResponseEntity<String> schema(@PathVariable String name) {
		ContractSchemas schema = Arrays.stream(ContractSchemas.values())
			.filter((candidate) -> candidate.schemaName().equals(name))
			.findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No schema named '" + name + "'"));
		return ResponseEntity.ok().contentType(SCHEMA_JSON).body(schema.json());
	}

}
