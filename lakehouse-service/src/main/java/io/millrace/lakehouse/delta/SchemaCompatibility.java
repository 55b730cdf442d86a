package io.millrace.lakehouse.delta;

import java.util.ArrayList;
import java.util.List;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

/**
 * Whether a table's stored schema can be written with a service's
 * {@link TableDefinition}: the same schema, or the stored one followed by new nullable
 * columns at a higher schema version (readers of the old shape keep working; old rows
 * read as null in the new columns). Anything else — a column removed, renamed, retyped,
 * made non-nullable, moved, or the partitioning changed, or a stored version above the
 * service's — is refused with an error naming table, column and both versions.
 */
public final class SchemaCompatibility {

	private SchemaCompatibility() {
	}

	/**
	 * @param definition what the service writes
	 * @param stored the table's schema
	 * @param storedPartitions the table's partition columns
	 * @param storedVersion the table's schema version (1 for a table written before
	 * versions were stored)
	 * @return the columns to add to the stored schema (empty when it is the same)
	 * @throws IncompatibleSchemaException when the table cannot be written with the
	 * definition
	 */
	public static List<StructField> columnsToAdd(TableDefinition definition, StructType stored,
			List<String> storedPartitions, int storedVersion) {
		String table = definition.name();
		int version = definition.schemaVersion();
		if (!storedPartitions.equals(definition.partitionColumns())) {
			throw new IncompatibleSchemaException(table + ": partitioned by " + storedPartitions + " at schema version "
					+ storedVersion + ", this service writes it partitioned by " + definition.partitionColumns()
					+ " at version " + version + "; a new partitioning needs a new table");
		}
		if (storedVersion > version) {
			throw new IncompatibleSchemaException(table + ": schema version " + storedVersion
					+ " is newer than this service's " + version + "; run the newer service (or a new table)");
		}
		StructType wanted = definition.schema();
		for (StructField column : stored.fields()) {
			int at = wanted.indexOf(column.getName());
			if (at < 0) {
				throw new IncompatibleSchemaException(
						table + ": column " + column.getName() + " (" + column.getDataType() + ") of schema version "
								+ storedVersion + " is removed in version " + version + "; columns may only be added");
			}
			StructField now = wanted.at(at);
			if (!now.getDataType().equals(column.getDataType())) {
				throw new IncompatibleSchemaException(table + ": column " + column.getName() + " is "
						+ column.getDataType() + " in schema version " + storedVersion + " and " + now.getDataType()
						+ " in version " + version + "; a column's type cannot change");
			}
			if (column.isNullable() && !now.isNullable()) {
				throw new IncompatibleSchemaException(table + ": column " + column.getName()
						+ " is nullable in schema version " + storedVersion + " and not in version " + version);
			}
		}
		for (int i = 0; i < stored.length(); i++) {
			if (!wanted.at(i).getName().equals(stored.at(i).getName())) {
				throw new IncompatibleSchemaException(table + ": column " + wanted.at(i).getName()
						+ " is at a position of schema version " + storedVersion + "'s " + stored.at(i).getName()
						+ " in version " + version + "; new columns go after the existing ones");
			}
		}
		List<StructField> added = new ArrayList<>();
		for (int i = stored.length(); i < wanted.length(); i++) {
			StructField column = wanted.at(i);
			if (!column.isNullable()) {
				throw new IncompatibleSchemaException(
						table + ": column " + column.getName() + " added in schema version " + version + " (table at "
								+ storedVersion + ") is not nullable; rows already written have none");
			}
			added.add(column);
		}
		if (!added.isEmpty() && storedVersion == version) {
			throw new IncompatibleSchemaException(
					table + ": columns " + added.stream().map(StructField::getName).toList()
							+ " are added without raising the schema version " + version);
		}
		return added;
	}

	/** A table whose schema this service must not write. */
	public static final class IncompatibleSchemaException extends IllegalStateException {

		IncompatibleSchemaException(String message) {
			super("Incompatible table schema: " + message);
		}

	}

}
