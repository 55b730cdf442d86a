package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Finds free TCP ports on loopback for brokers, services and receivers. */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * A port that was free a moment ago.
	 * @return the port number
	 */
	public static int next() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
