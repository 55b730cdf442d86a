package io.millrace.lakehouse.silver;

import java.util.List;

/**
 * The events a source partition admitted to Silver (kept or quarantined) as the tables
 * hold them: what the dedupe memory is rebuilt from.
 */
@FunctionalInterface
public interface AdmittedHistory {

	/**
	 * @param partition the source partition
	 * @param upToOffset the last offset to include
	 * @return each admitted event with an id once (in any order)
	 */
	List<Admitted> admitted(String partition, long upToOffset);

	/**
	 * @param eventId the event's id
	 * @param eventTimeMicros its event time
	 * @param offset its source offset
	 */
	record Admitted(String eventId, long eventTimeMicros, long offset) {
	}

}
