package io.millrace.storage;

import java.util.Objects;

/**
 * What must be true of the stored object for a write or delete to happen: the
 * compare-and-set that lets two writers share a key safely (If-Match / If-None-Match on
 * Blob Storage).
 */
public final class Precondition {

	private static final Precondition ANY = new Precondition(null, false);

	private static final Precondition ABSENT = new Precondition(null, true);

	private final String version;

	private final boolean absent;

	private Precondition(String version, boolean absent) {
		this.version = version;
		this.absent = absent;
	}

	/** No condition: last writer wins. */
	public static Precondition any() {
		return ANY;
	}

	/** The object must not exist (create only). */
	public static Precondition absent() {
		return ABSENT;
	}

	/**
	 * The object must exist at exactly this version.
	 * @param version the version last read
	 * @return the precondition
	 */
	public static Precondition matches(String version) {
		return new Precondition(Objects.requireNonNull(version, "version"), false);
	}

	/**
	 * Whether checking needs the current version at all; an unconditional write does not
	 * read the stored object.
	 * @return false for {@link #any()}
	 */
	public boolean dependsOnCurrentVersion() {
		return this.absent || this.version != null;
	}

	/**
	 * Whether the precondition holds for the current version.
	 * @param currentVersion the stored object's version, or {@code null} when absent
	 * @return true when the operation may proceed
	 */
	public boolean holdsFor(String currentVersion) {
		if (this.absent) {
			return currentVersion == null;
		}
		return this.version == null || this.version.equals(currentVersion);
	}

	@Override
	public String toString() {
		return this.absent ? "absent" : (this.version == null) ? "any" : "matches " + this.version;
	}

}
