package io.millrace.ingest.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body, gunzipping it when {@code Content-Encoding: gzip}, and never
 * holds more than the limit: a client cannot make the service buffer an unbounded body or
 * inflate a small gzip bomb.
 */
final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * @param in the raw body
	 * @param contentEncoding the {@code Content-Encoding} header, or null
	 * @param maxBytes the largest body accepted, after decompression
	 * @return the body
	 * @throws RequestTooLargeException past the limit
	 * @throws MalformedBodyException if a gzip body is not gzip
	 * @throws UnsupportedContentEncodingException for an encoding other than gzip or
	 * identity
	 */
	static byte[] read(InputStream in, String contentEncoding, long maxBytes) {
		String encoding = (contentEncoding != null) ? contentEncoding.trim().toLowerCase() : "identity";
		try {
			InputStream body = switch (encoding) {
				case "", "identity" -> in;
				case "gzip", "x-gzip" -> new GZIPInputStream(in);
				default -> throw new UnsupportedContentEncodingException(contentEncoding);
			};
			return readAtMost(body, maxBytes);
		}
		catch (ZipException | java.io.EOFException ex) {
			throw new MalformedBodyException("The body is not valid gzip: " + ex.getMessage());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading the request body failed", ex);
		}
	}

	private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
		byte[] chunk = new byte[8192];
		long total = 0;
		int read;
		while ((read = in.read(chunk)) != -1) {
			total += read;
			if (total > maxBytes) {
				throw new RequestTooLargeException(maxBytes);
			}
			out.write(chunk, 0, read);
		}
		return out.toByteArray();
	}

	/** A {@code Content-Encoding} other than gzip. */
	static final class UnsupportedContentEncodingException extends RuntimeException {

		UnsupportedContentEncodingException(String encoding) {
			super("Content-Encoding '" + encoding + "' is not supported; send gzip or no encoding");
		}

	}

}
