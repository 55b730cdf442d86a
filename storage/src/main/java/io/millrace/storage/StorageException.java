package io.millrace.storage;

/** The store could not be read or written (I/O error, invalid key). */
public class StorageException extends RuntimeException {

	public StorageException(String message, Throwable cause) {
		super(message, cause);
	}

	public StorageException(String message) {
		super(message);
	}

}
