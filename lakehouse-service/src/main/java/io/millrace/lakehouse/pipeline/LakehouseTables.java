package io.millrace.lakehouse.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.storage.TableStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The tables this service writes, created (or their schemas checked) at start, and the
 * {@code lakehouse} health component: up once every table is there with this service's
 * schema, naming where each lives. A table whose schema is not this service's fails the
 * start: writing another shape into it would break its readers.
 */
final class LakehouseTables implements HealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(LakehouseTables.class);

	private final TableStorage storage;

	private final List<DeltaTableWriter> writers;

	private volatile Map<String, Object> ready;

	LakehouseTables(TableStorage storage, List<DeltaTableWriter> writers) {
		this.storage = storage;
		this.writers = writers;
	}

	synchronized void ensureCreated() {
		if (this.ready != null) {
			return;
		}
		Map<String, Object> tables = new LinkedHashMap<>();
		for (DeltaTableWriter writer : this.writers) {
			long version = writer.ensureTable();
			tables.put(writer.definition().name(), Map.of("path", writer.path(), "version", version));
		}
		logger.info("Lakehouse tables in {}: {}", this.storage.describe(), tables.keySet());
		this.ready = tables;
	}

	@Override
	public Health health() {
		Map<String, Object> tables = this.ready;
		if (tables == null) {
			return Health.outOfService().withDetail("storage", this.storage.describe()).build();
		}
		return Health.up().withDetail("storage", this.storage.describe()).withDetails(tables).build();
	}

}
