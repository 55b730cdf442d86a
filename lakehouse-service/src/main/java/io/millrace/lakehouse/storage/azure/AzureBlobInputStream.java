package io.millrace.lakehouse.storage.azure;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobDownloadResponse;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;

/**
 * A seekable read of one blob by ranged downloads ({@code Get Blob} with a
 * {@code Range}): small reads are served from a buffer filled a chunk at a time (a JSON
 * log file usually in one request), a read larger than a chunk (a Parquet column chunk)
 * is downloaded straight into the caller's array, and a seek costs nothing until the next
 * read. Every download after the first is conditional on the ETag the first one saw, so a
 * blob replaced in the middle of a read (only {@code _last_checkpoint} ever is) fails the
 * read instead of mixing two versions.
 */
final class AzureBlobInputStream extends SeekableInputStream {

	/** What one small read fetches. */
	static final int CHUNK = 1024 * 1024;

	private final BlobClient blob;

	private final String path;

	/** The blob's size; negative until known. */
	private long length;

	private String etag;

	private long position;

	private byte[] buffer = new byte[0];

	private long bufferStart;

	private boolean closed;

	/**
	 * @param blob the blob
	 * @param path its path, for messages
	 * @param length its size if the caller knows it, else 0 or negative
	 */
	AzureBlobInputStream(BlobClient blob, String path, long length) {
		this.blob = blob;
		this.path = path;
		this.length = (length > 0) ? length : -1;
	}

	@Override
	public long getPos() {
		return this.position;
	}

	@Override
	public void seek(long newPos) throws IOException {
		checkOpen();
		if (newPos < 0) {
			throw new EOFException("Cannot seek to " + newPos + " in " + this.path);
		}
		this.position = newPos;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		checkOpen();
		if (len == 0) {
			return 0;
		}
		long remaining = length() - this.position;
		if (remaining <= 0) {
			return -1;
		}
		int wanted = (int) Math.min(len, remaining);
		long inBuffer = this.bufferStart + this.buffer.length - this.position;
		if (this.position >= this.bufferStart && inBuffer > 0) {
			int n = (int) Math.min(wanted, inBuffer);
			System.arraycopy(this.buffer, (int) (this.position - this.bufferStart), b, off, n);
			this.position += n;
			return n;
		}
		if (wanted >= CHUNK) {
			download(this.position, b, off, wanted);
			this.position += wanted;
			return wanted;
		}
		int chunk = (int) Math.min(CHUNK, remaining);
		byte[] filled = new byte[chunk];
		download(this.position, filled, 0, chunk);
		this.buffer = filled;
		this.bufferStart = this.position;
		System.arraycopy(filled, 0, b, off, wanted);
		this.position += wanted;
		return wanted;
	}

	@Override
	public void readFully(byte[] b, int off, int len) throws IOException {
		int done = 0;
		while (done < len) {
			int n = read(b, off + done, len - done);
			if (n == -1) {
				throw new EOFException("End of " + this.path + " after " + done + " of " + len + " bytes at "
						+ (this.position - done));
			}
			done += n;
		}
	}

	@Override
	public long skip(long n) throws IOException {
		checkOpen();
		long skipped = Math.max(0, Math.min(n, length() - this.position));
		this.position += skipped;
		return skipped;
	}

	@Override
	public int available() throws IOException {
		checkOpen();
		long inBuffer = this.bufferStart + this.buffer.length - this.position;
		return (this.position >= this.bufferStart && inBuffer > 0) ? (int) inBuffer : 0;
	}

	@Override
	public void close() {
		this.closed = true;
		this.buffer = new byte[0];
	}

	private long length() throws IOException {
		if (this.length < 0) {
			try {
				BlobProperties properties = this.blob.getProperties();
				this.length = properties.getBlobSize();
				this.etag = properties.getETag();
			}
			catch (BlobStorageException ex) {
				throw failure("read the properties of", ex);
			}
			catch (RuntimeException ex) {
				throw AzureBlobFileIO.ioFailure("read the properties of", this.path, ex);
			}
		}
		return this.length;
	}

	/** Exactly {@code count} bytes from {@code offset} into {@code target}. */
	private void download(long offset, byte[] target, int targetOffset, int count) throws IOException {
		ArrayOutput out = new ArrayOutput(target, targetOffset, count);
		BlobRequestConditions conditions = (this.etag != null) ? new BlobRequestConditions().setIfMatch(this.etag)
				: null;
		try {
			BlobDownloadResponse response = this.blob.downloadStreamWithResponse(out,
					new BlobRange(offset, (long) count), null, conditions, false, null, Context.NONE);
			if (this.etag == null) {
				this.etag = response.getDeserializedHeaders().getETag();
			}
		}
		catch (BlobStorageException ex) {
			throw failure("read", ex);
		}
		catch (RuntimeException ex) {
			throw AzureBlobFileIO.ioFailure("read", this.path, ex);
		}
		if (out.written != count) {
			throw new EOFException("Read " + out.written + " of " + count + " bytes at " + offset + " of " + this.path);
		}
	}

	private IOException failure(String action, BlobStorageException ex) {
		if (ex.getStatusCode() == 404) {
			FileNotFoundException missing = new FileNotFoundException(this.path);
			missing.initCause(ex);
			return missing;
		}
		if (ex.getStatusCode() == 412) {
			return new IOException(this.path + " was replaced while it was read", ex);
		}
		return AzureBlobFileIO.ioFailure(action, this.path, ex);
	}

	private void checkOpen() throws IOException {
		if (this.closed) {
			throw new IOException(this.path + " is closed");
		}
	}

	/** Writes a download into a slice of an array, refusing more than the slice. */
	private static final class ArrayOutput extends OutputStream {

		private final byte[] target;

		private final int offset;

		private final int capacity;

		private int written;

		ArrayOutput(byte[] target, int offset, int capacity) {
			this.target = target;
			this.offset = offset;
			this.capacity = capacity;
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			if (this.written + len > this.capacity) {
				throw new IOException("The service sent more than the " + this.capacity + " bytes asked for");
			}
			System.arraycopy(b, off, this.target, this.offset + this.written, len);
			this.written += len;
		}

	}

}
