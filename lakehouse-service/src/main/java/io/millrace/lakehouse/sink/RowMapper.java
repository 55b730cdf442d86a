package io.millrace.lakehouse.sink;

/**
 * Turns one valid input record into a table row, or skips it (a non-final aggregate for a
 * table of finals). Plain Java: each table's mapping is tested alone.
 *
 * @param <T> the contract of the input records
 */
@FunctionalInterface
public interface RowMapper<T> {

	/**
	 * @param record the decoded record and where it came from
	 * @param writtenAtMicros when the sink took it (UTC microseconds), for rows that
	 * record it
	 * @return the row, every column of the table's schema in order, or {@code null} to
	 * skip the record
	 */
	Object[] toRow(SourceRecord<T> record, long writtenAtMicros);

}
