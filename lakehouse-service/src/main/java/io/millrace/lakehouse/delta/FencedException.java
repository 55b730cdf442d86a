package io.millrace.lakehouse.delta;

import java.util.Optional;

/**
 * The table's transaction id for a source partition is not where this writer expected it:
 * another writer committed records of the partition (an instance that took the partition
 * over, or this one's predecessor whose last commit landed after all). The attempt's
 * files are deleted. The caller goes on from {@link #committed()}: rows at or below it
 * are in the table already, rows above it are not.
 */
public class FencedException extends RuntimeException {

	private final String appId;

	private final Optional<Long> committed;

	public FencedException(String appId, Optional<Long> committed, String message) {
		super(message);
		this.appId = appId;
		this.committed = committed;
	}

	public String appId() {
		return this.appId;
	}

	/**
	 * @return the partition's committed version as the table holds it now
	 */
	public Optional<Long> committed() {
		return this.committed;
	}

}
