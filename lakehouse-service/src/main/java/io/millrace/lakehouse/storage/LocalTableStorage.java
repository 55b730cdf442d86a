package io.millrace.lakehouse.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.utils.FileStatus;
import org.apache.hadoop.conf.Configuration;

/**
 * Tables in a local directory, through Hadoop's local file system (Kernel's default
 * engine is built on a Hadoop {@link Configuration}; the shaded hadoop-client jars bring
 * it without a Hadoop installation). Log files are created exclusively
 * ({@link LinkCommitFileIO}), so two writers, in one process or two, cannot both commit
 * one version.
 */
public final class LocalTableStorage implements TableStorage {

	private final Path root;

	private final FileIO fileIO;

	/**
	 * @param root the lakehouse root; created if missing
	 */
	public LocalTableStorage(Path root) {
		try {
			this.root = Files.createDirectories(root).toAbsolutePath().normalize();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the lakehouse root " + root, ex);
		}
		this.fileIO = new LinkCommitFileIO(new HadoopFileIO(new Configuration()));
	}

	@Override
	public FileIO fileIO() {
		return this.fileIO;
	}

	@Override
	public String tablePath(String table) {
		return this.root.resolve(table).toUri().toString();
	}

	@Override
	public String describe() {
		return "local directory " + this.root;
	}

	@Override
	public List<FileStatus> listTree(String directory) throws IOException {
		Path start = Path.of(java.net.URI.create(directory));
		List<FileStatus> files = new ArrayList<>();
		try (Stream<Path> paths = Files.walk(start)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				BasicFileAttributes attributes;
				try {
					attributes = Files.readAttributes(path, BasicFileAttributes.class);
				}
				catch (NoSuchFileException ex) {
					// Deleted while listing (a losing writer cleaning up): not there.
					continue;
				}
				if (attributes.isRegularFile()) {
					files.add(FileStatus.of(path.toUri().toString(), attributes.size(),
							attributes.lastModifiedTime().toMillis()));
				}
			}
		}
		return files;
	}

	public Path root() {
		return this.root;
	}

}
