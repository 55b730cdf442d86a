package io.millrace.lakehouse.storage;

import io.delta.kernel.defaults.engine.fileio.FileIO;

/**
 * Where the tables live: the seam between the writers and a storage system. Kernel's
 * default engine does every read and write of data files and log files through a
 * {@link FileIO}; a commit is {@code OutputFile.writeAtomically(..., overwrite=false)} of
 * the next log file, which must fail when the file exists. The local directory does that
 * with Hadoop's local file system (write to a temporary file, rename without overwrite);
 * an Azure Blob adapter implements {@code FileIO} on azure-storage-blob with a
 * conditional create ({@code If-None-Match: *}) of the log file, and is chosen here.
 */
public interface TableStorage {

	/**
	 * @return the file access Kernel's engine uses
	 */
	FileIO fileIO();

	/**
	 * @param table a table's path under the root, for example
	 * {@code bronze/telemetry_events}
	 * @return the table's location as Kernel resolves it (a URI or absolute path)
	 */
	String tablePath(String table);

	/**
	 * @return where the tables are, for logs and health
	 */
	String describe();

}
