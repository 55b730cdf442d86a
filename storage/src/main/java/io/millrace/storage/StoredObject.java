package io.millrace.storage;

/**
 * An object as read from a store.
 *
 * @param key its key
 * @param data its content
 * @param version opaque version (an ETag on Blob Storage); changes whenever the content
 * is written
 */
public record StoredObject(String key, byte[] data, String version) {

}
