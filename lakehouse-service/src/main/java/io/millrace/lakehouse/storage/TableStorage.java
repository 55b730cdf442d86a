package io.millrace.lakehouse.storage;

import java.io.IOException;
import java.util.List;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.utils.FileStatus;

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

	/**
	 * Every file under a directory, at any depth (Kernel's {@code listFrom} lists one
	 * level): what a vacuum compares with the files a table references.
	 * @param directory a table's location, as {@link #tablePath} gives it
	 * @return the files, with their paths in the form {@link #fileIO()} takes them
	 * @throws IOException when the directory cannot be listed
	 * @throws UnsupportedOperationException when this storage cannot be listed (then its
	 * tables are not vacuumed)
	 */
	default List<FileStatus> listTree(String directory) throws IOException {
		throw new UnsupportedOperationException(describe() + " cannot list a table's files");
	}

}
