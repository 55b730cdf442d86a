package io.millrace.lakehouse.silver;

import java.util.List;

/**
 * What one record of {@code telemetry-raw} became in Silver: its readings kept, its
 * readings quarantined, and each expectation's passed and failed readings (indexed as the
 * configured expectations). The Silver sink buffers one of these per record (as a
 * one-cell row) and {@link SilverCommitter} commits each part to its table.
 *
 * @param offset the record's offset
 * @param readings Silver rows
 * @param quarantined quarantine rows
 * @param passed per expectation, readings that met it
 * @param failed per expectation, readings that did not
 */
public record RecordOutcome(long offset, List<Object[]> readings, List<Object[]> quarantined, int[] passed,
		int[] failed) {

	/**
	 * @param row a row the Silver sink buffered
	 * @return the outcome it carries
	 */
	static RecordOutcome of(Object[] row) {
		return (RecordOutcome) row[0];
	}

}
