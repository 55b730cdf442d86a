package io.millrace.benchmarks.alerting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;

/**
 * A fast local webhook receiver: the JDK's {@code HttpServer} on loopback answering
 * {@code 200} to every POST at once. It keeps what a check needs afterwards (arrival
 * time, path, the Standard Webhooks headers and the body) and does nothing else while a
 * measurement runs; signatures are verified after the run, with the reference library.
 * The subscription is the last segment of the path ({@code /hooks/<subscription>}).
 */
final class Receiver implements AutoCloseable {

	/**
	 * One request as it arrived.
	 *
	 * @param nanos {@link System#nanoTime()} when the handler got the request (headers
	 * read)
	 * @param path the request path
	 * @param id {@code webhook-id}
	 * @param timestamp {@code webhook-timestamp}
	 * @param signature {@code webhook-signature}
	 * @param contentType {@code Content-Type}
	 * @param body the raw body
	 */
	record Delivery(long nanos, String path, String id, String timestamp, String signature, String contentType,
			byte[] body) {

		String subscription() {
			return this.path.substring(this.path.lastIndexOf('/') + 1);
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	private final HttpServer server;

	private final ExecutorService executor;

	private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

	Receiver(int threads) {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", (exchange) -> {
			long nanos = System.nanoTime();
			try (exchange) {
				byte[] body;
				try (InputStream in = exchange.getRequestBody()) {
					body = in.readAllBytes();
				}
				var headers = exchange.getRequestHeaders();
				this.deliveries.add(new Delivery(nanos, exchange.getRequestURI().getPath(),
						headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
						headers.getFirst("webhook-signature"), headers.getFirst("Content-Type"), body));
				exchange.sendResponseHeaders(200, -1);
			}
		});
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "receiver");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Every request so far, in arrival order (roughly: handlers run on several threads).
	 */
	List<Delivery> deliveries() {
		return new ArrayList<>(this.deliveries);
	}

	int count() {
		return this.deliveries.size();
	}

	void clear() {
		this.deliveries.clear();
	}

	/**
	 * Verify each delivery's signature with the Standard Webhooks reference library.
	 * @param deliveries the deliveries
	 * @param secrets subscription id to its {@code whsec_} secret
	 * @return one line per delivery without a valid signature (none is good)
	 */
	static List<String> unverified(List<Delivery> deliveries, Map<String, String> secrets) {
		Map<String, Webhook> verifiers = new HashMap<>();
		List<String> problems = new ArrayList<>();
		for (Delivery delivery : deliveries) {
			if (delivery.signature() == null || delivery.id() == null || delivery.timestamp() == null) {
				problems.add(delivery.path() + ": missing webhook-id/-timestamp/-signature");
				continue;
			}
			String secret = secrets.get(delivery.subscription());
			if (secret == null) {
				problems.add(delivery.path() + ": no such subscription");
				continue;
			}
			Map<String, List<String>> headers = new HashMap<>();
			headers.put("webhook-id", List.of(delivery.id()));
			headers.put("webhook-timestamp", List.of(delivery.timestamp()));
			headers.put("webhook-signature", List.of(delivery.signature()));
			try {
				verifiers.computeIfAbsent(secret, Receiver::webhook).verify(delivery.text(), headers);
			}
			catch (Exception ex) {
				problems.add(delivery.path() + " " + delivery.id() + ": " + ex);
			}
		}
		return problems;
	}

	private static Webhook webhook(String secret) {
		return new Webhook(secret);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
