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
	 * @param horizonMicros how far in event time before the partition's newest admitted
	 * event the memory reaches: older events may be left out (they would be forgotten at
	 * once), so only the newest days are read
	 * @return each admitted event with an id once (in any order), at least those within
	 * the horizon of the newest
	 */
	List<Admitted> admitted(String partition, long upToOffset, long horizonMicros);

	/**
	 * @param eventId the event's id
	 * @param eventTimeMicros its event time
	 * @param offset its source offset
	 */
	record Admitted(String eventId, long eventTimeMicros, long offset) {
	}

}
