package io.millrace.lakehouse.delta;

import java.util.List;

import io.delta.kernel.types.StructType;

/**
 * A table this service owns: where it lives under the lakehouse root, its schema and its
 * partition columns (which are also columns of the schema and of every row).
 *
 * @param name the table's path under the root, for example
 * {@code bronze/telemetry_events}
 * @param schema the logical schema
 * @param partitionColumns the partition columns, in directory order
 */
public record TableDefinition(String name, StructType schema, List<String> partitionColumns) {

	public TableDefinition {
		for (String column : partitionColumns) {
			if (schema.indexOf(column) < 0) {
				throw new IllegalArgumentException("Partition column " + column + " is not in the schema of " + name);
			}
		}
		partitionColumns = List.copyOf(partitionColumns);
	}

	/**
	 * The short name used in metrics and logs: the last path segment.
	 * @return for example {@code telemetry_events}
	 */
	public String shortName() {
		return this.name.substring(this.name.lastIndexOf('/') + 1);
	}

}
