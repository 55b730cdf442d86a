package io.millrace.storage;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Millrace's storage port: named byte objects with versions, shaped like a blob container
 * so that a local directory and Azure Blob Storage (ETags) implement it alike. Used for
 * processing checkpoints, alerting's documents and the raw capture archive.
 * <p>
 * Keys are relative paths of segments separated by {@code /}; each segment is 1 to 200
 * characters of letters, digits, {@code . _ - = +}, and not {@code .} or {@code ..}.
 * Writes are atomic: a reader sees the old object or the new one, never a mix.
 */
public interface ObjectStore {

	/**
	 * Read an object.
	 * @param key the key
	 * @return the object with its current version, or empty when absent
	 */
	Optional<StoredObject> get(String key);

	/**
	 * Write an object if the precondition holds.
	 * @param key the key
	 * @param data the new content
	 * @param precondition what must be true of the current object
	 * @return the version of the written object
	 * @throws PreconditionFailedException if the precondition does not hold; nothing is
	 * written
	 */
	String put(String key, byte[] data, Precondition precondition);

	/**
	 * Delete an object if the precondition holds; deleting an absent object with
	 * {@link Precondition#any()} is not an error.
	 * @param key the key
	 * @param precondition what must be true of the current object
	 * @throws PreconditionFailedException if the precondition does not hold
	 */
	void delete(String key, Precondition precondition);

	/**
	 * The keys that start with a prefix, in lexicographic order.
	 * @param prefix the prefix, {@code ""} for all
	 * @return the keys
	 */
	List<String> list(String prefix);

	/**
	 * The keys that start with a prefix with their current versions (the same versions
	 * {@link #get} reports), so a reader can tell what changed without reading every
	 * object. An object written or deleted while this runs may or may not be in it.
	 * @param prefix the prefix, {@code ""} for all
	 * @return key to version, in lexicographic order of the keys
	 */
	default SortedMap<String, String> listVersions(String prefix) {
		SortedMap<String, String> versions = new TreeMap<>();
		for (String key : list(prefix)) {
			get(key).ifPresent((object) -> versions.put(key, object.version()));
		}
		return versions;
	}

}
