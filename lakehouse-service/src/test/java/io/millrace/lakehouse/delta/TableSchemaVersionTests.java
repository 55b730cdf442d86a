package io.millrace.lakehouse.delta;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.millrace.lakehouse.storage.LocalTableStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Versioned table schemas on a real table directory: the version is stored with the
 * table, a higher version that only adds nullable columns evolves the table (old rows
 * read as null, readers see the new schema), anything else is refused naming table,
 * column and versions.
 */
class TableSchemaVersionTests {

	private static final StructType V1 = new StructType().add("sensor_id", StringType.STRING, false)
		.add("reading", LongType.LONG, true);

	@TempDir
	Path root;

	private LocalTableStorage storage;

	private Engine engine;

	@BeforeEach
	void storage() {
		this.storage = new LocalTableStorage(this.root);
		this.engine = DefaultEngine.create(this.storage.fileIO());
	}

	private DeltaTableWriter writer(StructType schema, int version) {
		return new DeltaTableWriter(this.engine, this.storage,
				new TableDefinition("test/versioned", schema, List.of(), version), "test");
	}

	private KernelTableReader reader() {
		return new KernelTableReader(this.root.resolve("test/versioned"));
	}

	@Test
	void aNewTableStoresItsSchemaVersion() {
		writer(V1, 1).ensureTable();
		assertThat(DeltaTableWriter.schemaVersion(reader().snapshot())).isEqualTo(1);
		// Started again with the same definition: nothing to do.
		assertThat(writer(V1, 1).ensureTable()).isZero();
	}

	@Test
	void aHigherVersionAddingNullableColumnsEvolvesTheTable() {
		DeltaTableWriter v1 = writer(V1, 1);
		v1.ensureTable();
		v1.append("app-p0", Optional.empty(), 0, List.<Object[]>of(new Object[] { "s1", 1L }));

		StructType v2Schema = V1.add("site", StringType.STRING, true);
		DeltaTableWriter v2 = writer(v2Schema, 2);
		assertThat(v2.ensureTable()).isEqualTo(2);
		v2.append("app-p0", Optional.of(0L), 1, List.<Object[]>of(new Object[] { "s2", 2L, "north" }));

		assertThat(reader().snapshot().getSchema()).isEqualTo(v2Schema);
		assertThat(DeltaTableWriter.schemaVersion(reader().snapshot())).isEqualTo(2);
		assertThat(reader().rows()).containsExactlyInAnyOrder(row("s1", 1L, null), row("s2", 2L, "north"));
		// The transaction ids survive the metadata commit.
		assertThat(v2.committedVersion("app-p0")).contains(1L);
		// And the old service is refused now: the table is newer than it.
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> writer(V1, 1).ensureTable())
			.withMessageContaining("test/versioned")
			.withMessageContaining("schema version 2 is newer than this service's 1");
	}

	@Test
	void aRemovedColumnIsRefusedNamingTableColumnAndVersions() {
		writer(V1, 1).ensureTable();
		StructType removed = new StructType().add("sensor_id", StringType.STRING, false);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> writer(removed, 2).ensureTable())
			.withMessage("Incompatible table schema: test/versioned: column reading (long) of schema version 1 is "
					+ "removed in version 2; columns may only be added");
	}

	@Test
	void aChangedTypeIsRefusedNamingTableColumnAndVersions() {
		writer(V1, 1).ensureTable();
		StructType retyped = new StructType().add("sensor_id", StringType.STRING, false)
			.add("reading", StringType.STRING, true);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> writer(retyped, 2).ensureTable())
			.withMessage("Incompatible table schema: test/versioned: column reading is long in schema version 1 and "
					+ "string in version 2; a column's type cannot change");
	}

	@Test
	void aNewColumnMustBeNullableAndComeWithANewVersion() {
		writer(V1, 1).ensureTable();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> writer(V1.add("site", StringType.STRING, false), 2).ensureTable())
			.withMessageContaining("column site added in schema version 2 (table at 1) is not nullable");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> writer(V1.add("site", StringType.STRING, true), 1).ensureTable())
			.withMessageContaining("are added without raising the schema version 1");
		assertThat(reader().snapshot().getSchema()).isEqualTo(V1);
	}

	private static Map<String, Object> row(String sensor, Long reading, String site) {
		java.util.LinkedHashMap<String, Object> row = new java.util.LinkedHashMap<>();
		row.put("sensor_id", sensor);
		row.put("reading", reading);
		row.put("site", site);
		return row;
	}

}
