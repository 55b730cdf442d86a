package io.millrace.lakehouse.delta;

import java.util.ArrayList;
import java.util.List;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

/**
 * Rows held as one {@code Object[]} each, seen by Kernel as a {@link ColumnarBatch}.
 * Kernel's own ready-made batch ({@code DefaultColumnarBatch}) is in an internal package
 * of delta-kernel-defaults, so the writer supplies this one. Kernel's
 * {@code Transaction.transformLogicalData} drops partition columns with
 * {@link #withDeletedColumnAt}, which the interface leaves unimplemented: it is the one
 * default that must be overridden.
 * <p>
 * Cell values by Delta type: {@code String} (string), {@code Long} (long; timestamp as
 * UTC microseconds), {@code Integer} (integer; date as days since the epoch),
 * {@code Double}, {@code Boolean}, and {@code Map} (map), or {@code null}.
 */
public final class RowBatch implements ColumnarBatch {

	private final StructType schema;

	private final List<Object[]> rows;

	/** The row-array index of each column of {@link #schema}. */
	private final int[] ordinals;

	/**
	 * @param schema the schema; row {@code i}'s cell {@code j} is column {@code j}'s
	 * value
	 * @param rows the rows
	 */
	public RowBatch(StructType schema, List<Object[]> rows) {
		this(schema, rows, identity(schema.length()));
	}

	private RowBatch(StructType schema, List<Object[]> rows, int[] ordinals) {
		this.schema = schema;
		this.rows = rows;
		this.ordinals = ordinals;
	}

	private static int[] identity(int length) {
		int[] ordinals = new int[length];
		for (int i = 0; i < length; i++) {
			ordinals[i] = i;
		}
		return ordinals;
	}

	@Override
	public StructType getSchema() {
		return this.schema;
	}

	@Override
	public ColumnVector getColumnVector(int ordinal) {
		StructField field = this.schema.at(ordinal);
		return new RowColumnVector(field.getDataType(), this.rows, this.ordinals[ordinal]);
	}

	@Override
	public int getSize() {
		return this.rows.size();
	}

	@Override
	public ColumnarBatch withDeletedColumnAt(int ordinal) {
		List<StructField> fields = new ArrayList<>(this.schema.fields());
		fields.remove(ordinal);
		int[] remaining = new int[this.ordinals.length - 1];
		for (int i = 0, j = 0; i < this.ordinals.length; i++) {
			if (i != ordinal) {
				remaining[j++] = this.ordinals[i];
			}
		}
		return new RowBatch(new StructType(fields), this.rows, remaining);
	}

	@Override
	public ColumnarBatch withNewSchema(StructType newSchema) {
		if (newSchema.length() != this.schema.length()) {
			throw new IllegalArgumentException("Schema " + newSchema + " does not match " + this.schema);
		}
		return new RowBatch(newSchema, this.rows, this.ordinals);
	}

}
