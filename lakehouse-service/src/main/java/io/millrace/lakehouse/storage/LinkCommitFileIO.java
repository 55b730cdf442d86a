package io.millrace.lakehouse.storage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

/**
 * Hadoop's local file system for everything, except the one write a commit depends on:
 * creating a log file that must not exist yet. Delta's {@code LocalLogStore} checks that
 * the file is absent and then renames over it, exclusive only within one log-store
 * object, so two processes (an instance and its restarted successor, or two instances on
 * one volume) could both "win" a version. Here the file is written under a temporary name
 * and published with a hard link, which the operating system refuses atomically when the
 * name exists: {@code FileAlreadyExistsException}, which Kernel turns into a
 * concurrent-write conflict. The same shape is what an Azure Blob {@code FileIO} does
 * with a conditional create.
 */
final class LinkCommitFileIO implements FileIO {

	private final FileIO delegate;

	LinkCommitFileIO(FileIO delegate) {
		this.delegate = delegate;
	}

	/**
	 * What Hadoop's local log store lists (the directory's entries at or after the path's
	 * name, by name, without Hadoop's hidden {@code .*.crc} checksum files, with paths in
	 * Hadoop's {@code file:/} form), but with one {@code stat} per entry returned instead
	 * of one per entry in the directory. Kernel lists the log on every snapshot, several
	 * times per commit, and Hadoop's listing stats every file in {@code _delta_log}, so a
	 * commit cost grew with the number of versions: at four commits a second that was
	 * most of a commit after a few hundred versions (the Bronze benchmark in
	 * docs/benchmarks.md).
	 */
	@Override
	public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
		Path start = localPath(filePath);
		Path directory = start.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			// Hadoop's answer (FileNotFoundException), which Kernel expects.
			return this.delegate.listFrom(filePath);
		}
		String from = start.getFileName().toString();
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (name.compareTo(from) >= 0 && !(name.startsWith(".") && name.endsWith(".crc"))) {
					names.add(name);
				}
			}
		}
		Collections.sort(names);
		String prefix = new org.apache.hadoop.fs.Path("file", null, directory.toString()).toString() + "/";
		List<FileStatus> statuses = new ArrayList<>(names.size());
		for (String name : names) {
			try {
				BasicFileAttributes attributes = Files.readAttributes(directory.resolve(name),
						BasicFileAttributes.class);
				statuses.add(FileStatus.of(prefix + name, attributes.size(), attributes.lastModifiedTime().toMillis()));
			}
			catch (NoSuchFileException ex) {
				// Deleted since the directory was read (a temporary file, a vacuumed
				// one).
			}
		}
		return CloseableIterators.of(statuses.iterator());
	}

	@Override
	public FileStatus getFileStatus(String path) throws IOException {
		return this.delegate.getFileStatus(path);
	}

	@Override
	public String resolvePath(String path) throws IOException {
		return this.delegate.resolvePath(path);
	}

	@Override
	public boolean mkdirs(String path) throws IOException {
		return this.delegate.mkdirs(path);
	}

	@Override
	public InputFile newInputFile(String path, long fileSize) {
		return this.delegate.newInputFile(path, fileSize);
	}

	@Override
	public OutputFile newOutputFile(String path) {
		OutputFile hadoop = this.delegate.newOutputFile(path);
		return new OutputFile() {

			@Override
			public String path() {
				return hadoop.path();
			}

			@Override
			public PositionOutputStream create(boolean atomicWrite) throws IOException {
				return hadoop.create(atomicWrite);
			}

			@Override
			public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
				if (overwrite) {
					hadoop.writeAtomically(data, true);
				}
				else {
					createExclusively(localPath(path), data);
				}
			}

		};
	}

	@Override
	public boolean delete(String path) throws IOException {
		return this.delegate.delete(path);
	}

	@Override
	public Optional<String> getConf(String confKey) {
		return this.delegate.getConf(confKey);
	}

	private static Path localPath(String path) {
		URI uri = URI.create(path);
		return (uri.getScheme() != null) ? Paths.get(uri) : Paths.get(path);
	}

	private static void createExclusively(Path target, CloseableIterator<String> lines) throws IOException {
		Files.createDirectories(target.getParent());
		Path temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			try (lines; BufferedWriter writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
				while (lines.hasNext()) {
					writer.write(lines.next());
					writer.write('\n');
				}
			}
			// Atomic and exclusive: fails with FileAlreadyExistsException if the name is
			// taken.
			Files.createLink(target, temporary);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
