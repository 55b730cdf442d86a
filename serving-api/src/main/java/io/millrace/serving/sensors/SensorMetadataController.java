package io.millrace.serving.sensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sensor registry's API: one sensor's metadata (read, replace, delete, with
 * {@code ETag}/{@code If-Match}) and a bulk import from CSV or JSON. Writes go to the
 * compacted {@code sensor-metadata} topic; this instance answers once it has read them
 * back (so a read after a write sees it), or {@code 202} when that takes longer than
 * {@code millrace.serving.registry.write-timeout}. {@code If-Match} is checked against
 * this instance's view and writes are serialized within it; two instances writing one
 * sensor at the same moment can both pass (the later record wins on the topic).
 */
@RestController
class SensorMetadataController {

	static final String CSV = "text/csv";

	private final SensorRegistry registry;

	private final SensorMetadataPublisher publisher;

	private final ServingProperties properties;

	private final Clock clock = Clock.systemUTC();

	SensorMetadataController(SensorRegistry registry, SensorMetadataPublisher publisher, ServingProperties properties) {
		this.registry = registry;
		this.publisher = publisher;
		this.properties = properties;
	}

	@Operation(summary = "A sensor's registered metadata",
			description = "Name, tags, location, unit and expected range per metric, and when it last changed. The "
					+ "ETag is the version to send as If-Match when changing it.")
	@GetMapping("/api/v1/sensors/{sensorId}/metadata")
	ResponseEntity<SensorMetadata> get(@PathVariable String sensorId) {
		SensorMetadata metadata = this.registry.get(sensorId)
			.orElseThrow(() -> ApiException.unknownMetadata("Sensor '" + sensorId + "' is not in the registry"));
		return ResponseEntity.ok().eTag(SensorRegistry.etag(metadata)).body(metadata);
	}

	@Operation(summary = "Register or replace a sensor's metadata (admin)",
			description = "The whole metadata (a PUT replaces it). If-Match: the ETag of the version it replaces "
					+ "(412 when it changed since); If-None-Match: * to create only. 201 when created, 200 when "
					+ "replaced, 202 when published but not read back yet. Invalid fields: 400 invalid-body with "
					+ "'errors' naming each field.")
	@PutMapping(path = "/api/v1/sensors/{sensorId}/metadata", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SensorMetadata> put(@PathVariable String sensorId, @RequestBody SensorMetadata body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
			throws InterruptedException {
		List<Map<String, Object>> errors = SensorMetadataValidator.validate(sensorId, body);
		if (!errors.isEmpty()) {
			throw ApiException.invalidBody("The sensor metadata has " + errors.size() + " invalid field(s): "
					+ errors.get(0).get("field") + " " + errors.get(0).get("detail"), errors);
		}
		synchronized (this.registry) {
			SensorMetadata current = this.registry.get(sensorId).orElse(null);
			checkPreconditions(sensorId, current, ifMatch, ifNoneMatch);
			SensorMetadata stored = stamped(sensorId, body, now());
			this.publisher.publish(stored);
			String etag = SensorRegistry.etag(stored);
			boolean seen = this.registry.await(sensorId, etag, this.properties.registry().writeTimeout());
			HttpStatus status = !seen ? HttpStatus.ACCEPTED : (current == null) ? HttpStatus.CREATED : HttpStatus.OK;
			return ResponseEntity.status(status).eTag(etag).body(stored);
		}
	}

	@Operation(summary = "Remove a sensor from the registry (admin)",
			description = "Publishes a tombstone for it. If-Match as for PUT. 204, or 202 when not read back yet.")
	@DeleteMapping("/api/v1/sensors/{sensorId}/metadata")
	ResponseEntity<Void> delete(@PathVariable String sensorId,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) throws InterruptedException {
		synchronized (this.registry) {
			SensorMetadata current = this.registry.get(sensorId)
				.orElseThrow(() -> ApiException.unknownMetadata("Sensor '" + sensorId + "' is not in the registry"));
			checkPreconditions(sensorId, current, ifMatch, null);
			this.publisher.tombstone(sensorId);
			boolean seen = this.registry.await(sensorId, null, this.properties.registry().writeTimeout());
			return ResponseEntity.status(seen ? HttpStatus.NO_CONTENT : HttpStatus.ACCEPTED).build();
		}
	}

	@Operation(summary = "Import many sensors' metadata (admin), all or nothing",
			description = "text/csv: a header row naming the columns (sensorId required; name, location (a site), "
					+ "latitude, longitude, tags as k=v;k2=v2, unit.<metric>, min.<metric>, max.<metric>), one sensor "
					+ "per row. application/json: an array of sensor metadata objects. Each sensor's metadata is "
					+ "replaced. When any row is invalid nothing is imported: 400 invalid-body whose 'errors' name "
					+ "each bad row ('row': CSV record number, the header being 1; 'index': JSON array position "
					+ "from 0), its sensorId and field.")
	@PostMapping(path = "/api/v1/sensors/metadata:import", consumes = { CSV, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<ImportResult> importMetadata(@Parameter(
			description = "text/csv or application/json") @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
			@RequestBody byte[] bytes) throws InterruptedException {
		boolean csv = contentType.isCompatibleWith(MediaType.parseMediaType(CSV));
		// UTF-8 unless the request says otherwise (text/* would default to ISO-8859-1).
		String body = new String(bytes,
				(contentType.getCharset() != null) ? contentType.getCharset() : StandardCharsets.UTF_8);
		List<Item> items = csv ? csvItems(body) : jsonItems(body);
		int max = this.properties.registry().maxImportRows();
		if (items.size() > max) {
			throw ApiException.invalidBody("At most " + max + " sensors per import (millrace.serving.registry"
					+ ".max-import-rows), got " + items.size(), List.of());
		}
		List<Map<String, Object>> errors = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (Item item : items) {
			List<Map<String, Object>> found = new ArrayList<>(item.errors());
			String sensorId = item.metadata().sensorId();
			found.addAll(SensorMetadataValidator.validate(sensorId, item.metadata()));
			if (sensorId != null && !seen.add(sensorId)) {
				found.add(SensorMetadataValidator.error("/sensorId", "appears more than once in the import"));
			}
			for (Map<String, Object> error : found) {
				Map<String, Object> located = new LinkedHashMap<>();
				located.put(item.positionName(), item.position());
				if (sensorId != null) {
					located.put("sensorId", sensorId);
				}
				located.put("field", error.get("field"));
				located.put("detail", error.get("detail"));
				errors.add(located);
			}
		}
		if (!errors.isEmpty()) {
			throw ApiException.invalidBody(
					"Nothing was imported: " + errors.size() + " problem(s) in " + items.size() + " sensor(s)", errors);
		}
		Instant now = now();
		List<SensorMetadata> stored = new ArrayList<>();
		synchronized (this.registry) {
			for (Item item : items) {
				SensorMetadata metadata = stamped(item.metadata().sensorId(), item.metadata(), now);
				this.publisher.publish(metadata);
				stored.add(metadata);
			}
			boolean all = true;
			for (SensorMetadata metadata : stored) {
				all &= this.registry.await(metadata.sensorId(), SensorRegistry.etag(metadata),
						this.properties.registry().writeTimeout());
			}
			return ResponseEntity.status(all ? HttpStatus.OK : HttpStatus.ACCEPTED)
				.body(new ImportResult(stored.size(), stored.stream().map(SensorMetadata::sensorId).toList()));
		}
	}

	private static List<Item> csvItems(String body) {
		List<SensorMetadataCsv.Row> rows;
		try {
			rows = SensorMetadataCsv.read(body);
		}
		catch (SensorMetadataCsv.ImportException ex) {
			throw ApiException.invalidBody("Nothing was imported: the CSV header is not acceptable", ex.errors());
		}
		return rows.stream().map((row) -> new Item("row", row.row(), row.metadata(), row.errors())).toList();
	}

	private static List<Item> jsonItems(String body) {
		JsonNode array;
		try {
			array = MillraceJson.mapper().readTree(body);
		}
		catch (IOException ex) {
			throw ApiException.invalidBody("Nothing was imported: the body is not JSON", List.of());
		}
		if (array == null || !array.isArray()) {
			throw ApiException.invalidBody("Nothing was imported: the body must be a JSON array of sensor metadata",
					List.of());
		}
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < array.size(); i++) {
			JsonNode node = array.get(i);
			try {
				SensorMetadata metadata = MillraceJson.mapper().treeToValue(node, SensorMetadata.class);
				items.add(new Item("index", i, metadata, List.of()));
			}
			catch (IOException | IllegalArgumentException ex) {
				String sensorId = node.path("sensorId").isTextual() ? node.get("sensorId").asText() : null;
				items.add(
						new Item("index", i, new SensorMetadata(sensorId, null, null, null, null, null, null),
								List.of(SensorMetadataValidator.error("/", "is not sensor metadata: "
										+ ((ex instanceof com.fasterxml.jackson.core.JsonProcessingException json)
												? json.getOriginalMessage() : ex.getMessage())))));
			}
		}
		return items;
	}

	private void checkPreconditions(String sensorId, SensorMetadata current, String ifMatch, String ifNoneMatch) {
		String etag = (current != null) ? SensorRegistry.etag(current) : null;
		if (ifMatch != null && !matches(ifMatch, etag)) {
			throw ApiException.preconditionFailed((etag != null)
					? "Sensor '" + sensorId + "' has changed: its ETag is " + etag + ", not " + ifMatch
							+ "; read it again and retry"
					: "Sensor '" + sensorId + "' is not in the registry (If-Match " + ifMatch + ")", etag);
		}
		if (ifNoneMatch != null && current != null && (ifNoneMatch.trim().equals("*") || matches(ifNoneMatch, etag))) {
			throw ApiException.preconditionFailed("Sensor '" + sensorId + "' is already registered", etag);
		}
	}

	/**
	 * Whether an If-Match list names the current ETag ({@code *}: any version exists).
	 */
	private static boolean matches(String header, String current) {
		if (current == null) {
			return false;
		}
		for (String tag : header.split(",")) {
			String candidate = tag.trim();
			if (candidate.equals("*") || candidate.equals(current)
					|| (candidate.startsWith("W/") && candidate.substring(2).equals(current))) {
				return true;
			}
		}
		return false;
	}

	private static SensorMetadata stamped(String sensorId, SensorMetadata body, Instant now) {
		return new SensorMetadata(sensorId, body.name(), body.tags(), body.location(), body.units(),
				body.expectedRanges(), now);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private record Item(String positionName, int position, SensorMetadata metadata, List<Map<String, Object>> errors) {
	}

	/**
	 * The body of a successful import.
	 *
	 * @param imported how many sensors' metadata was published
	 * @param sensorIds which, in the order given
	 */
	record ImportResult(int imported, List<String> sensorIds) {
	}

}
