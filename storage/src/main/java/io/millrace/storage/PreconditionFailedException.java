package io.millrace.storage;

/** A conditional write or delete found the object in another state than required. */
public class PreconditionFailedException extends RuntimeException {

	public PreconditionFailedException(String key, Precondition precondition, String currentVersion) {
		super("Precondition '" + precondition + "' failed for '" + key + "' (current version: "
				+ ((currentVersion != null) ? currentVersion : "absent") + ")");
	}

}
