package io.millrace.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint that accepts alert webhooks, as a user's system would: it answers
 * {@code 204} to every POST on its path and hands the body to a listener. The local run
 * logs the deliveries; the end-to-end test inspects them.
 */
public final class WebhookReceiver implements AutoCloseable {

	/** The path alerting-service posts to in the local run. */
	public static final String PATH = "/webhooks/alerts";

	private final HttpServer server;

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	/**
	 * Start a receiver on loopback.
	 * @param port the port; 0 picks a free one
	 * @param listener called with each delivered body
	 * @return the running receiver
	 */
	public static WebhookReceiver start(int port, Consumer<String> listener) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
			WebhookReceiver receiver = new WebhookReceiver(server);
			server.createContext(PATH, (exchange) -> receiver.handle(exchange, listener));
			server.setExecutor(Executors.newSingleThreadExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "webhook-receiver");
				thread.setDaemon(true);
				return thread;
			}));
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the webhook receiver on port " + port, ex);
		}
	}

	private void handle(HttpExchange exchange, Consumer<String> listener) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			this.bodies.add(body);
			listener.accept(body);
			exchange.sendResponseHeaders(204, -1);
		}
	}

	/**
	 * The URL alerting-service should post to.
	 * @return the webhook URL
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + PATH;
	}

	/**
	 * Every body received so far, in arrival order.
	 * @return the bodies
	 */
	public List<String> received() {
		return List.copyOf(this.bodies);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
