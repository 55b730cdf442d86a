package io.millrace.lakehouse.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;

/**
 * One column of a {@link RowBatch}: reads cell {@code ordinal} of each row. Getters cast,
 * so a row built with the wrong Java type fails loudly at write time, naming the column's
 * type.
 */
final class RowColumnVector implements ColumnVector {

	private final DataType type;

	private final List<Object[]> rows;

	private final int ordinal;

	RowColumnVector(DataType type, List<Object[]> rows, int ordinal) {
		this.type = type;
		this.rows = rows;
		this.ordinal = ordinal;
	}

	private Object cell(int rowId) {
		return this.rows.get(rowId)[this.ordinal];
	}

	@Override
	public DataType getDataType() {
		return this.type;
	}

	@Override
	public int getSize() {
		return this.rows.size();
	}

	@Override
	public void close() {
	}

	@Override
	public boolean isNullAt(int rowId) {
		return cell(rowId) == null;
	}

	@Override
	public boolean getBoolean(int rowId) {
		return (Boolean) cell(rowId);
	}

	@Override
	public int getInt(int rowId) {
		return (Integer) cell(rowId);
	}

	@Override
	public long getLong(int rowId) {
		return (Long) cell(rowId);
	}

	@Override
	public double getDouble(int rowId) {
		return (Double) cell(rowId);
	}

	@Override
	public String getString(int rowId) {
		return (String) cell(rowId);
	}

	@Override
	public MapValue getMap(int rowId) {
		Map<?, ?> map = (Map<?, ?>) cell(rowId);
		if (map == null) {
			return null;
		}
		MapType mapType = (MapType) this.type;
		List<Object[]> keys = new ArrayList<>(map.size());
		List<Object[]> values = new ArrayList<>(map.size());
		map.forEach((key, value) -> {
			keys.add(new Object[] { key });
			values.add(new Object[] { value });
		});
		ColumnVector keyVector = new RowColumnVector(mapType.getKeyType(), keys, 0);
		ColumnVector valueVector = new RowColumnVector(mapType.getValueType(), values, 0);
		return new MapValue() {

			@Override
			public int getSize() {
				return keys.size();
			}

			@Override
			public ColumnVector getKeys() {
				return keyVector;
			}

			@Override
			public ColumnVector getValues() {
				return valueVector;
			}

		};
	}

}
