package io.millrace.lakehouse.sink;

import java.util.Optional;

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

	/**
	 * A source partition is taken on, resuming after {@code committed}: a mapper with
	 * state of its own (Silver's dedupe memory) rebuilds it here from what the table
	 * holds up to that offset.
	 * @param partition the source partition
	 * @param committed the last offset in the table, empty if none
	 */
	default void resumed(String partition, Optional<Long> committed) {
	}

	/**
	 * A source partition was handed over: forget its state.
	 * @param partition the source partition
	 */
	default void revoked(String partition) {
	}

}
