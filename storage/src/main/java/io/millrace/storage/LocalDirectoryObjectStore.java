package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The storage port on a local directory, the default so that a laptop needs nothing.
 * Objects live under {@code objects/} as files named by their key; a write goes to a
 * temporary file that is flushed to disk and then atomically renamed over the object, so
 * readers never see a partial object and a crash leaves the old one. Conditional writes
 * are serialized per key by a lock that also holds across processes (a file lock under
 * {@code locks/}). The version is a digest of the content, so rewriting identical content
 * keeps the version, which is harmless for compare-and-set.
 */
public final class LocalDirectoryObjectStore implements ObjectStore {

	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._\\-=+]{1,200}");

	private final Path objects;

	private final Path temporary;

	private final Path locks;

	/**
	 * File locks belong to the whole JVM, so two stores on one directory in one JVM first
	 * agree through these.
	 */
	private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

	/**
	 * A store rooted at a directory, created if needed.
	 * @param root the directory
	 */
	public LocalDirectoryObjectStore(Path root) {
		this.objects = root.resolve("objects");
		this.temporary = root.resolve("tmp");
		this.locks = root.resolve("locks");
		try {
			Files.createDirectories(this.objects);
			Files.createDirectories(this.temporary);
			Files.createDirectories(this.locks);
		}
		catch (IOException ex) {
			throw new StorageException("Cannot create the store at " + root, ex);
		}
	}

	@Override
	public Optional<StoredObject> get(String key) {
		Path file = fileOf(key);
		try {
			byte[] data = Files.readAllBytes(file);
			return Optional.of(new StoredObject(key, data, versionOf(data)));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new StorageException("Cannot read '" + key + "'", ex);
		}
	}

	@Override
	public String put(String key, byte[] data, Precondition precondition) {
		Path file = fileOf(key);
		return underLock(key, () -> {
			String current = precondition.dependsOnCurrentVersion() ? currentVersion(file) : null;
			if (!precondition.holdsFor(current)) {
				throw new PreconditionFailedException(key, precondition, current);
			}
			Path staged = this.temporary.resolve(UUID.randomUUID() + ".tmp");
			try {
				try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.CREATE_NEW,
						StandardOpenOption.WRITE)) {
					channel.write(ByteBuffer.wrap(data));
					channel.force(true);
				}
				Files.createDirectories(file.getParent());
				move(staged, file);
				return versionOf(data);
			}
			catch (IOException ex) {
				throw new StorageException("Cannot write '" + key + "'", ex);
			}
			finally {
				deleteQuietly(staged);
			}
		});
	}

	@Override
	public void delete(String key, Precondition precondition) {
		Path file = fileOf(key);
		underLock(key, () -> {
			String current = precondition.dependsOnCurrentVersion() ? currentVersion(file) : null;
			if (!precondition.holdsFor(current)) {
				throw new PreconditionFailedException(key, precondition, current);
			}
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new StorageException("Cannot delete '" + key + "'", ex);
			}
			return null;
		});
	}

	@Override
	public List<String> list(String prefix) {
		try (Stream<Path> files = Files.walk(this.objects)) {
			return files.filter(Files::isRegularFile)
				.map((file) -> this.objects.relativize(file)
					.toString()
					.replace(file.getFileSystem().getSeparator(), "/"))
				.filter((key) -> key.startsWith(prefix))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new StorageException("Cannot list '" + prefix + "'", ex);
		}
	}

	private <T> T underLock(String key, Supplier<T> action) {
		Path lockFile = this.locks.resolve(versionOf(key.getBytes(StandardCharsets.UTF_8)))
			.toAbsolutePath()
			.normalize();
		ReentrantLock lock = JVM_LOCKS.computeIfAbsent(lockFile, (ignored) -> new ReentrantLock());
		lock.lock();
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock fileLock = channel.lock()) {
			return action.get();
		}
		catch (IOException ex) {
			throw new StorageException("Cannot lock '" + key + "'", ex);
		}
		finally {
			lock.unlock();
		}
	}

	private String currentVersion(Path file) {
		try {
			return versionOf(Files.readAllBytes(file));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new StorageException("Cannot read " + file, ex);
		}
	}

	private Path fileOf(String key) {
		if (key == null || key.isEmpty()) {
			throw new StorageException("A key must not be empty");
		}
		for (String segment : key.split("/", -1)) {
			if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
				throw new StorageException("Invalid key '" + key + "': segments are 1-200 of [A-Za-z0-9._-=+],"
						+ " not '.' or '..', separated by '/'");
			}
		}
		return this.objects.resolve(key);
	}

	private static void move(Path staged, Path target) throws IOException {
		try {
			Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			throw new StorageException("The file system of " + target + " cannot rename atomically", ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// A leftover temporary file is cleaned up with the store; it is never read.
		}
	}

	static String versionOf(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

	@Override
	public String toString() {
		return "LocalDirectoryObjectStore[" + this.objects + "]";
	}

}
