package io.millrace.lakehouse.storage.azure;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.storage.CloseableIterators;

/**
 * Delta Kernel's file access on one Azure Blob Storage container, with azure-storage-blob
 * and no Hadoop file system.
 * <p>
 * <b>Paths</b> are the blobs' own URLs: the container URL, a {@code /}, the blob name
 * ({@code https://<account>.blob.core.windows.net/<container>/lakehouse/bronze/telemetry_events/_delta_log/00000000000000000000.json};
 * on Azurite {@code http://127.0.0.1:<port>/devstoreaccount1/<container>/...}). Kernel
 * takes them apart and joins them with its own {@code Path} like any URI, and the table
 * root written to the log is the real address of the data. A path outside this container
 * is refused. {@code wasbs://} and {@code abfss://} are not accepted: they are Hadoop
 * file system schemes, and this file access needs no Hadoop file system.
 * <p>
 * <b>Directories</b> do not exist in a flat-namespace account: {@link #mkdirs} does
 * nothing, and a directory "exists" when a blob name starts with it. On an account with
 * the hierarchical namespace (ADLS Gen2) the Blob API used here works the same.
 * <p>
 * <b>The commit</b> is {@code writeAtomically(lines, false)} of the next log file: one
 * Put Blob with {@code If-None-Match: *}, which the service applies whole or not at all
 * and refuses (409, or 412) when the blob exists. That refusal becomes
 * {@link FileAlreadyExistsException}, which Kernel reports as a concurrent write. Each
 * such write carries a random id in the blob's metadata, so that a write whose first try
 * landed but whose answer was lost (the SDK then tries again and is refused) is
 * recognised as this writer's own and reported as done, not as lost to another writer.
 */
public final class AzureBlobFileIO implements FileIO {

	/** Metadata of a conditionally created blob: which write made it. */
	static final String WRITE_ID = "millrace_write_id";

	/** Parquet files are uploaded in blocks of this size, two at a time. */
	private static final long BLOCK_SIZE = 8L * 1024 * 1024;

	private final BlobContainerClient container;

	private final String root;

	private final Map<String, String> conf;

	private final Supplier<String> writeIds;

	/**
	 * @param container the container the tables are in
	 */
	public AzureBlobFileIO(BlobContainerClient container) {
		this(container, Map.of());
	}

	/**
	 * @param container the container the tables are in
	 * @param conf what {@link #getConf} answers (Kernel's Parquet and JSON options, for
	 * example {@code delta.kernel.default.parquet.writer.targetMaxFileSize})
	 */
	public AzureBlobFileIO(BlobContainerClient container, Map<String, String> conf) {
		this(container, conf, () -> UUID.randomUUID().toString());
	}

	AzureBlobFileIO(BlobContainerClient container, Map<String, String> conf, Supplier<String> writeIds) {
		this.container = container;
		this.root = stripTrailingSlash(container.getBlobContainerUrl());
		this.conf = Map.copyOf(conf);
		this.writeIds = writeIds;
	}

	/**
	 * @param blobName a blob name in the container, for example
	 * {@code lakehouse/bronze/telemetry_events}
	 * @return its path as this file access takes it
	 */
	public String pathOf(String blobName) {
		return this.root + "/" + blobName;
	}

	/**
	 * @param path a path in this container
	 * @return the blob name
	 * @throws IllegalArgumentException if the path is not in this container
	 */
	public String blobName(String path) {
		String prefix = this.root + "/";
		if (path == null || !path.startsWith(prefix) || path.length() == prefix.length()) {
			throw new IllegalArgumentException(
					"'" + path + "' is not a blob of the container " + this.root + " (expected " + prefix + "<name>)");
		}
		return path.substring(prefix.length());
	}

	/**
	 * The files of a directory whose names sort at or after the given file's name: the
	 * directory's blobs are listed one level deep (no virtual sub-directories) and
	 * filtered, as a flat namespace has no "start after" listing.
	 */
	@Override
	public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
		String name = blobName(filePath);
		int slash = name.lastIndexOf('/');
		String directory = name.substring(0, slash + 1);
		String from = name.substring(slash + 1);
		List<FileStatus> files = new ArrayList<>();
		boolean exists = false;
		try {
			for (BlobItem item : this.container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(directory),
					null)) {
				exists = true;
				if (Boolean.TRUE.equals(item.isPrefix())) {
					continue;
				}
				if (item.getName().substring(directory.length()).compareTo(from) >= 0) {
					files.add(FileStatus.of(pathOf(item.getName()), item.getProperties().getContentLength(),
							item.getProperties().getLastModified().toInstant().toEpochMilli()));
				}
			}
		}
		catch (RuntimeException ex) {
			throw ioFailure("list", pathOf(directory), ex);
		}
		if (!exists) {
			throw new FileNotFoundException("No blob under " + pathOf(directory));
		}
		files.sort(Comparator.comparing(FileStatus::getPath));
		return iterator(files);
	}

	@Override
	public FileStatus getFileStatus(String path) throws IOException {
		BlobProperties properties = properties(path);
		return FileStatus.of(path, properties.getBlobSize(), properties.getLastModified().toInstant().toEpochMilli());
	}

	/**
	 * Paths are already fully qualified URLs: checked to be in this container and given
	 * back without a trailing {@code /}. Like Hadoop's, it does not ask whether the path
	 * exists (a table is resolved before it is created).
	 */
	@Override
	public String resolvePath(String path) throws IOException {
		String resolved = stripTrailingSlash(path);
		blobName(resolved);
		return resolved;
	}

	/** A flat namespace has no directories: a blob's name makes its "directory". */
	@Override
	public boolean mkdirs(String path) {
		blobName(stripTrailingSlash(path));
		return true;
	}

	@Override
	public InputFile newInputFile(String path, long fileSize) {
		BlobClient blob = blob(path);
		return new InputFile() {

			@Override
			public long length() throws IOException {
				return (fileSize > 0) ? fileSize : properties(path).getBlobSize();
			}

			@Override
			public String path() {
				return path;
			}

			@Override
			public SeekableInputStream newStream() {
				// Kernel passes 0 or -1 when it does not know the size (_last_checkpoint,
				// ranged
				// reads of the log): then the stream asks the service.
				return new AzureBlobInputStream(blob, path, fileSize);
			}

		};
	}

	@Override
	public OutputFile newOutputFile(String path) {
		BlobClient blob = blob(path);
		return new OutputFile() {

			@Override
			public String path() {
				return path;
			}

			/**
			 * Data and checkpoint files: staged blocks committed by one Put Block List
			 * when the stream is closed, so the blob appears whole or not at all (an
			 * existing one is replaced, as the contract says).
			 */
			@Override
			public PositionOutputStream create(boolean atomicWrite) throws IOException {
				OutputStream upload;
				try {
					upload = blob.getBlockBlobClient()
						.getBlobOutputStream(new BlockBlobOutputStreamOptions()
							.setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(BLOCK_SIZE)
								.setMaxSingleUploadSizeLong(BLOCK_SIZE)
								.setMaxConcurrency(2)));
				}
				catch (RuntimeException ex) {
					throw ioFailure("create", path, ex);
				}
				return new CountingOutputStream(new BufferedOutputStream(upload, 64 * 1024));
			}

			@Override
			public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
				byte[] content;
				try (data) {
					ByteArrayOutputStream bytes = new ByteArrayOutputStream();
					while (data.hasNext()) {
						bytes.write(data.next().getBytes(StandardCharsets.UTF_8));
						bytes.write('\n');
					}
					content = bytes.toByteArray();
				}
				if (overwrite) {
					put(blob, path, content, null, null);
				}
				else {
					createExclusively(blob, path, content);
				}
			}

		};
	}

	/**
	 * The commit: a Put Blob that the service refuses if the blob exists. A refusal, or a
	 * failure after which the outcome is unknown, is resolved by reading the blob's
	 * metadata: this write's id means it landed.
	 */
	private void createExclusively(BlobClient blob, String path, byte[] content) throws IOException {
		String writeId = this.writeIds.get();
		try {
			put(blob, path, content, new BlobRequestConditions().setIfNoneMatch("*"), writeId);
		}
		catch (IOException ex) {
			// Refused (FileAlreadyExistsException), or failed with an unknown outcome.
			if (!writtenBy(blob, writeId)) {
				throw ex;
			}
		}
	}

	private boolean writtenBy(BlobClient blob, String writeId) throws IOException {
		try {
			return writeId.equals(blob.getProperties().getMetadata().get(WRITE_ID));
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == 404) {
				return false;
			}
			throw ioFailure("read", blob.getBlobUrl(), ex);
		}
		catch (RuntimeException ex) {
			throw ioFailure("read", blob.getBlobUrl(), ex);
		}
	}

	private static void put(BlobClient blob, String path, byte[] content, BlobRequestConditions conditions,
			String writeId) throws IOException {
		BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
			.setRequestConditions(conditions);
		if (writeId != null) {
			options.setMetadata(Map.of(WRITE_ID, writeId));
		}
		try {
			blob.getBlockBlobClient().uploadWithResponse(options, null, Context.NONE);
		}
		catch (BlobStorageException ex) {
			if (conditions != null && exists(ex)) {
				FileAlreadyExistsException exists = new FileAlreadyExistsException(path, null,
						"already exists (" + ex.getStatusCode() + " " + ex.getErrorCode() + ")");
				exists.initCause(ex);
				throw exists;
			}
			throw ioFailure("write", path, ex);
		}
		catch (RuntimeException ex) {
			throw ioFailure("write", path, ex);
		}
	}

	/**
	 * Azure answers a failed {@code If-None-Match: *} on Put Blob with 409
	 * BlobAlreadyExists; 412 ConditionNotMet is what the protocol names for it.
	 */
	private static boolean exists(BlobStorageException ex) {
		return ex.getStatusCode() == 412 || BlobErrorCode.BLOB_ALREADY_EXISTS.equals(ex.getErrorCode())
				|| BlobErrorCode.CONDITION_NOT_MET.equals(ex.getErrorCode());
	}

	@Override
	public boolean delete(String path) throws IOException {
		try {
			return blob(path).deleteIfExists();
		}
		catch (RuntimeException ex) {
			throw ioFailure("delete", path, ex);
		}
	}

	@Override
	public Optional<String> getConf(String confKey) {
		return Optional.ofNullable(this.conf.get(confKey));
	}

	private BlobProperties properties(String path) throws IOException {
		try {
			return blob(path).getProperties();
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == 404) {
				FileNotFoundException missing = new FileNotFoundException(path);
				missing.initCause(ex);
				throw missing;
			}
			throw ioFailure("read the properties of", path, ex);
		}
		catch (RuntimeException ex) {
			throw ioFailure("read the properties of", path, ex);
		}
	}

	private BlobClient blob(String path) {
		return this.container.getBlobClient(blobName(path));
	}

	static IOException ioFailure(String action, String path, RuntimeException cause) {
		String detail = (cause instanceof BlobStorageException storage)
				? storage.getStatusCode() + " " + storage.getErrorCode() : cause.toString();
		return new IOException("Cannot " + action + " " + path + ": " + detail, cause);
	}

	private static String stripTrailingSlash(String path) {
		return (path != null && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

	static <T> CloseableIterator<T> iterator(List<T> items) {
		return CloseableIterators.of(items.iterator());
	}

	@Override
	public String toString() {
		return "AzureBlobFileIO[" + this.root + "]";
	}

	/** Kernel's Parquet writer asks where it is; the upload does not say. */
	private static final class CountingOutputStream extends PositionOutputStream {

		private final OutputStream delegate;

		private long position;

		CountingOutputStream(OutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public long getPos() {
			return this.position;
		}

		@Override
		public void write(int b) throws IOException {
			this.delegate.write(b);
			this.position++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.delegate.write(b, off, len);
			this.position += len;
		}

		@Override
		public void flush() throws IOException {
			this.delegate.flush();
		}

		/** Commits the blob; an upload that failed fails here. */
		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

}
