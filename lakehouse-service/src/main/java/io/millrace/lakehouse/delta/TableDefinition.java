package io.millrace.lakehouse.delta;

import java.util.List;

import io.delta.kernel.types.StructType;

/**
 * A table this service owns: where it lives under the lakehouse root, its schema and its
 * partition columns (which are also columns of the schema and of every row), and the
 * version of that schema.
 * <p>
 * The schema version is stored in the table (the table property
 * {@value #SCHEMA_VERSION_PROPERTY}) and raised whenever the schema changes. Only
 * additive changes are allowed: a new version may add nullable columns at the end, never
 * remove, rename, retype or tighten one ({@link SchemaCompatibility}).
 *
 * @param name the table's path under the root, for example
 * {@code bronze/telemetry_events}
 * @param schema the logical schema
 * @param partitionColumns the partition columns, in directory order
 * @param schemaVersion the version of the schema, from 1
 */
public record TableDefinition(String name, StructType schema, List<String> partitionColumns, int schemaVersion) {

	/** The table property that holds the schema version. */
	public static final String SCHEMA_VERSION_PROPERTY = "millrace.schemaVersion";

	public TableDefinition {
		for (String column : partitionColumns) {
			if (schema.indexOf(column) < 0) {
				throw new IllegalArgumentException("Partition column " + column + " is not in the schema of " + name);
			}
		}
		if (schemaVersion < 1) {
			throw new IllegalArgumentException("Schema version of " + name + " must be at least 1");
		}
		partitionColumns = List.copyOf(partitionColumns);
	}

	/**
	 * A table at schema version 1.
	 * @param name the table's path under the root
	 * @param schema the logical schema
	 * @param partitionColumns the partition columns
	 */
	public TableDefinition(String name, StructType schema, List<String> partitionColumns) {
		this(name, schema, partitionColumns, 1);
	}

	/**
	 * The short name used in metrics and logs: the last path segment.
	 * @return for example {@code telemetry_events}
	 */
	public String shortName() {
		return this.name.substring(this.name.lastIndexOf('/') + 1);
	}

}
