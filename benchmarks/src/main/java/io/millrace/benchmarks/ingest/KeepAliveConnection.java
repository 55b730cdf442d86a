package io.millrace.benchmarks.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection that POSTs a body (or GETs) and reads the status, as
 * a load generator needs and no more: the request goes out in one write with
 * {@code TCP_NODELAY} (the JDK's {@code HttpClient} writes headers and body apart, and
 * Nagle's algorithm with delayed ACKs then adds ~40 ms to every small request), the
 * response body is read and dropped. Reconnects after the server closes the connection.
 */
public final class KeepAliveConnection implements AutoCloseable {

	private final URI url;

	private final byte[] head;

	private final String getHeaders;

	private Socket socket;

	private OutputStream out;

	private InputStream in;

	public KeepAliveConnection(URI url, String apiKey, String contentType) {
		this.url = url;
		this.head = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
				+ "\r\nContent-Type: " + contentType + "\r\nX-API-Key: " + apiKey + "\r\nContent-Length: ")
			.getBytes(StandardCharsets.US_ASCII);
		this.getHeaders = " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\nX-API-Key: " + apiKey
				+ "\r\n\r\n";
	}

	/**
	 * A GET on this connection (its path is ignored): the query benchmarks' requests.
	 * @param pathAndQuery the request target, such as {@code /api/v1/top?metric=t}
	 * @return the status, or -1 if the exchange failed (the connection is then reopened)
	 */
	public int get(String pathAndQuery) {
		try {
			if (this.socket == null) {
				open();
			}
			this.out.write(("GET " + pathAndQuery + this.getHeaders).getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
			return readResponse();
		}
		catch (IOException ex) {
			close();
			return -1;
		}
	}

	/**
	 * @return the status, or -1 if the exchange failed (the connection is then reopened)
	 */
	public int post(byte[] body) {
		try {
			if (this.socket == null) {
				open();
			}
			ByteArrayOutputStream request = new ByteArrayOutputStream(this.head.length + 16 + body.length);
			request.write(this.head);
			request.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			request.write(body);
			request.writeTo(this.out);
			this.out.flush();
			return readResponse();
		}
		catch (IOException ex) {
			close();
			return -1;
		}
	}

	private void open() throws IOException {
		this.socket = new Socket(this.url.getHost(), this.url.getPort());
		this.socket.setTcpNoDelay(true);
		this.out = this.socket.getOutputStream();
		this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
	}

	private int readResponse() throws IOException {
		String status = line();
		int code = Integer.parseInt(status.substring(9, 12));
		long length = -1;
		boolean chunked = false;
		boolean closing = false;
		String header;
		while (!(header = line()).isEmpty()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				closing = true;
			}
		}
		if (chunked) {
			long size;
			while ((size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
				skip(size);
				line();
			}
			while (!line().isEmpty()) {
				// trailers
			}
		}
		else if (length > 0) {
			skip(length);
		}
		if (closing) {
			close();
		}
		return code;
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = this.in.read()) != '\n') {
			if (c < 0) {
				throw new IOException("connection closed");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	private void skip(long bytes) throws IOException {
		long left = bytes;
		while (left > 0) {
			long skipped = this.in.skip(left);
			if (skipped <= 0) {
				if (this.in.read() < 0) {
					throw new IOException("connection closed");
				}
				skipped = 1;
			}
			left -= skipped;
		}
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.socket = null;
	}

}
