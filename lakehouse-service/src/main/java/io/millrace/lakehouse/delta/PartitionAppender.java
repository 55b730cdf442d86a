package io.millrace.lakehouse.delta;

import java.util.List;
import java.util.Optional;

/**
 * What a table sink commits to: rows covering a source partition's records up to an
 * offset, as one commit with the partition's transaction id. {@link DeltaTableWriter} is
 * one table; a composite (Silver with its quarantine and quality tables) may stand for
 * several, each exactly once by its own transaction ids.
 */
public interface PartitionAppender {

	/**
	 * @return the (main) table, for names in logs and metrics
	 */
	TableDefinition definition();

	/**
	 * @param appId a source partition's application id
	 * @return the last offset committed for it, empty if none: the sink resumes after it
	 */
	Optional<Long> committedVersion(String appId);

	/**
	 * @param appId the source partition's application id
	 * @param expected the version committed before, as the caller last saw it
	 * @param version the last offset the rows cover
	 * @param rows the rows
	 * @return what was committed
	 * @throws FencedException when another writer committed the partition meanwhile
	 */
	CommitResult append(String appId, Optional<Long> expected, long version, List<Object[]> rows);

}
