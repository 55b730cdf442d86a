package io.millrace.alerting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP webhook receiver on 127.0.0.1 that keeps every request with its headers, so
 * that a test can verify signatures afterwards with whichever secret it holds.
 */
final class SignedRequestReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private SignedRequestReceiver(HttpServer server) {
		this.server = server;
	}

	static SignedRequestReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			SignedRequestReceiver receiver = new SignedRequestReceiver(server);
			server.createContext("/hooks", (exchange) -> {
				try (exchange; InputStream in = exchange.getRequestBody()) {
					Map<String, List<String>> headers = new HashMap<>();
					// Standard Webhooks libraries look headers up in lower case.
					exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values));
					receiver.received.add(new Received(headers, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
					exchange.sendResponseHeaders(204, -1);
				}
			});
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks";
	}

	List<Received> received() {
		return List.copyOf(this.received);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * One request.
	 *
	 * @param headers its headers, names in lower case
	 * @param body its body as sent
	 */
	record Received(Map<String, List<String>> headers, String body) {
	}

}
