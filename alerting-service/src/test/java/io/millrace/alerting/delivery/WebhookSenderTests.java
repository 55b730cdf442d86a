package io.millrace.alerting.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.signing.WebhookSigner;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Attempts against real HTTP receivers on 127.0.0.1 (allow-listed). Only those receivers
 * are ever connected to: other names resolve through the test's own resolver, and the
 * internal addresses below are refused or never followed.
 */
class WebhookSenderTests {

	private static final Resolver RESOLVER = (host) -> switch (host) {
		case "hooks.test" -> List.of(InetAddress.getByAddress("hooks.test", new byte[] { 127, 0, 0, 1 }));
		case "internal.example.com" -> List.of(InetAddress.getByAddress(new byte[] { 10, 0, 0, 1 }));
		default -> {
			if (host.matches("[0-9.]+")) {
				yield List.of(InetAddress.getByName(host));
			}
			throw new UnknownHostException(host);
		}
	};

	private final List<HttpServer> receivers = new ArrayList<>();

	private final WebhookSecret secret = WebhookSecret.generate();

	private final WebhookSender sender = new WebhookSender(
			new DeliveryTargetGuard(new TargetPolicy(true, List.of("127.0.0.1")), RESOLVER), new WebhookSigner(),
			new WebhookSender.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(500)), defaultTls(), Clock.systemUTC());

	private final byte[] body = new PayloadWriter(URI.create("https://millrace.example.com"),
			URI.create("/millrace/alerting"))
		.write(PayloadFormat.CLOUDEVENTS_STRUCTURED, Alerts.firing(), "msg_01JH7Q", "ops");

	@AfterEach
	void stopReceivers() {
		this.receivers.forEach((receiver) -> receiver.stop(0));
	}

	@Test
	void retriesUntilDeliveredWithOneIdAndAVerifiableSignatureOnEveryAttempt() throws Exception {
		Receiver receiver = receiver(answer(503), answer(429, "Retry-After", "1"), answer(200));
		RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofMillis(50), Duration.ofMillis(50)), 0.2);
		WebhookRequest request = request(receiver.url("/hook"), Map.of("Authorization", "Bearer receiver-token"));

		List<AttemptResult> results = new ArrayList<>();
		for (int attempt = 1;; attempt++) {
			AttemptResult result = this.sender.send(request);
			results.add(result);
			if (result.outcome() != AttemptOutcome.RETRY) {
				break;
			}
			Instant next = schedule.nextAttemptAt(attempt, Instant.now(), result.retryAfter()).orElseThrow();
			Thread.sleep(Math.max(0, Duration.between(Instant.now(), next).toMillis()));
		}

		assertThat(results).extracting(AttemptResult::outcome)
			.containsExactly(AttemptOutcome.RETRY, AttemptOutcome.RETRY, AttemptOutcome.DELIVERED);
		assertThat(results).extracting(AttemptResult::statusCode).containsExactly(503, 429, 200);
		assertThat(results.get(1).retryAfter()).isEqualTo(Duration.ofSeconds(1));
		assertThat(receiver.requests).hasSize(3);
		Webhook reference = new Webhook(this.secret.value());
		for (Received received : receiver.requests) {
			reference.verify(received.body(), received.headers());
			assertThat(received.header("webhook-id")).isEqualTo("msg_01JH7Q");
			assertThat(received.header("authorization")).isEqualTo("Bearer receiver-token");
			assertThat(received.header("content-type")).isEqualTo("application/cloudevents+json; charset=utf-8");
			assertThat(received.body()).isEqualTo(new String(this.body, StandardCharsets.UTF_8));
		}
		assertThat(Duration.between(receiver.requests.get(1).at(), receiver.requests.get(2).at()))
			.as("the 429's Retry-After: 1 was honoured")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void connectsToTheCheckedAddressButKeepsTheHostName() throws Exception {
		Receiver receiver = receiver(answer(204));
		int port = receiver.server.getAddress().getPort();
		// hooks.test exists only in the test's resolver: the JVM could not resolve it, so
		// the connection went to the address the guard checked.
		AttemptResult result = this.sender.send(request(URI.create("http://hooks.test:" + port + "/hook"), Map.of()));
		assertThat(result.outcome()).isEqualTo(AttemptOutcome.DELIVERED);
		assertThat(receiver.requests.get(0).header("host")).isEqualTo("hooks.test:" + port);
	}

	@Test
	void keepsAConnectionAliveOnlyForAttemptsCheckedAtItsAddress() throws Exception {
		Receiver first = receiver(answer(200));
		int port = first.server.getAddress().getPort();
		Receiver moved = receiverAt("127.0.0.3", port, answer(200));
		AtomicReference<String> movingTo = new AtomicReference<>("127.0.0.1");
		Resolver moving = (host) -> List.of(InetAddress.getByName(movingTo.get()));
		try (WebhookSender sender = new WebhookSender(
				new DeliveryTargetGuard(new TargetPolicy(true, List.of("127.0.0.1", "127.0.0.3")), moving),
				new WebhookSigner(), new WebhookSender.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
				defaultTls(), Clock.systemUTC())) {
			WebhookRequest request = request(URI.create("http://moving.test:" + port + "/hook"), Map.of());
			for (int i = 0; i < 3; i++) {
				assertThat(sender.send(request).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
			}
			assertThat(first.requests).extracting(Received::from).hasSize(3).containsOnly(first.requests.get(0).from());

			// The name now resolves elsewhere: the connection kept to the old address,
			// still open, is not used for an attempt checked at the new one.
			movingTo.set("127.0.0.3");
			assertThat(sender.send(request).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
			assertThat(first.requests).hasSize(3);
			assertThat(moved.requests).hasSize(1);
		}
	}

	@Test
	void aKeptConnectionTheReceiverClosedIsRetriedOnceOnAFreshOne() throws Exception {
		// Answers without "Connection: close" and then closes: the client keeps a
		// connection that is already dead when the next attempt, at once, reuses it.
		try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			AtomicInteger requests = new AtomicInteger();
			Thread server = new Thread(() -> answerOnceAndClose(closing, requests));
			server.setDaemon(true);
			server.start();
			WebhookRequest request = request(URI.create("http://127.0.0.1:" + closing.getLocalPort() + "/hook"),
					Map.of());
			assertThat(this.sender.send(request).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
			assertThat(this.sender.send(request).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
			assertThat(requests).hasValue(2);
		}
	}

	@Test
	void aRedirectIsNeverFollowed() throws Exception {
		Receiver elsewhere = receiver(answer(200));
		Receiver redirecting = receiver(answer(302, "Location", elsewhere.url("/other").toString()));
		AttemptResult result = this.sender.send(request(redirecting.url("/hook"), Map.of()));
		assertThat(result.outcome()).isEqualTo(AttemptOutcome.REJECTED);
		assertThat(result.statusCode()).isEqualTo(302);
		assertThat(result.detail()).contains("redirects are not followed", elsewhere.url("/other").toString());
		assertThat(elsewhere.requests).isEmpty();
	}

	@Test
	void aRedirectToAPrivateAddressIsNeverConnectedTo() throws Exception {
		Receiver redirecting = receiver(answer(307, "Location", "http://10.0.0.1/steal"),
				answer(308, "Location", "http://internal.example.com/"));
		AttemptResult first = this.sender.send(request(redirecting.url("/hook"), Map.of()));
		AttemptResult second = this.sender.send(request(redirecting.url("/hook"), Map.of()));
		assertThat(List.of(first, second)).extracting(AttemptResult::outcome).containsOnly(AttemptOutcome.REJECTED);
		assertThat(first.detail()).contains("http://10.0.0.1/steal");
	}

	@Test
	void goneDisablesRejectionsAreNotRetried() throws Exception {
		Receiver receiver = receiver(answer(410), answer(400), answer(404), answer(408), answer(500));
		WebhookRequest request = request(receiver.url("/hook"), Map.of());
		assertThat(List.of(this.sender.send(request), this.sender.send(request), this.sender.send(request),
				this.sender.send(request), this.sender.send(request)))
			.extracting(AttemptResult::outcome)
			.containsExactly(AttemptOutcome.GONE, AttemptOutcome.REJECTED, AttemptOutcome.REJECTED,
					AttemptOutcome.RETRY, AttemptOutcome.RETRY);
	}

	@Test
	void aSlowReceiverOrAClosedPortIsRetried() throws Exception {
		Receiver slow = receiver((exchange) -> {
			sleep(Duration.ofSeconds(2));
			respond(exchange, 200);
		});
		AttemptResult timedOut = this.sender.send(request(slow.url("/hook"), Map.of()));
		assertThat(timedOut.outcome()).isEqualTo(AttemptOutcome.RETRY);
		assertThat(timedOut.detail()).contains("in time");

		Receiver closed = receiver(answer(200));
		URI url = closed.url("/hook");
		closed.server.stop(0);
		AttemptResult refused = this.sender.send(request(url, Map.of()));
		assertThat(refused.outcome()).isEqualTo(AttemptOutcome.RETRY);
		assertThat(refused.statusCode()).isZero();
	}

	@Test
	void guardedTargetsAreRefusedWithoutAnyTraffic() {
		for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://internal.example.com/",
				"http://127.0.0.2/", "https://unknown.test/")) {
			AttemptResult result = this.sender.send(request(URI.create(url), Map.of()));
			assertThat(result.outcome()).as(url).isEqualTo(AttemptOutcome.REFUSED);
			assertThat(result.detail()).as(url).isNotBlank();
		}
	}

	@Test
	void customHeadersMayNotReplaceTheSignatureOrFraming() {
		for (String name : List.of("webhook-signature", "Webhook-Id", "Host", "Content-Length")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> request(URI.create("https://hooks.test/"), Map.of(name, "x")));
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> request(URI.create("https://hooks.test/"), Map.of("X-Token", "a\r\nX-Injected: 1")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> request(URI.create("https://hooks.test/"), Map.of("X Token", "a")));
	}

	private WebhookRequest request(URI url, Map<String, String> headers) {
		return new WebhookRequest(url, "msg_01JH7Q", this.body, PayloadFormat.CLOUDEVENTS_STRUCTURED.contentType(),
				headers, List.of(this.secret));
	}

	private static void answerOnceAndClose(ServerSocket server, AtomicInteger requests) {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				BufferedReader in = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
				int length = 0;
				for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
					if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
						length = Integer.parseInt(line.substring(15).trim());
					}
				}
				for (int i = 0; i < length; i++) {
					in.read();
				}
				requests.incrementAndGet();
				socket.getOutputStream()
					.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
			}
			catch (IOException ex) {
				// closed at the end of the test
			}
		}
	}

	private Receiver receiver(Handler... answers) throws IOException {
		return receiverAt("127.0.0.1", 0, answers);
	}

	private Receiver receiverAt(String address, int port, Handler... answers) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
		Receiver receiver = new Receiver(server);
		ConcurrentLinkedQueue<Handler> queue = new ConcurrentLinkedQueue<>(List.of(answers));
		server.createContext("/", (exchange) -> {
			receiver.record(exchange);
			Handler next = (queue.size() > 1) ? queue.poll() : queue.peek();
			next.handle(exchange);
		});
		server.start();
		this.receivers.add(server);
		return receiver;
	}

	private static Handler answer(int status, String... headers) {
		return (exchange) -> {
			for (int i = 0; i < headers.length; i += 2) {
				exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
			}
			respond(exchange, status);
		};
	}

	private static void respond(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static SSLContext defaultTls() {
		try {
			return SSLContext.getDefault();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	interface Handler {

		void handle(HttpExchange exchange) throws IOException;

	}

	record Received(Instant at, InetSocketAddress from, Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

	}

	static final class Receiver {

		final HttpServer server;

		final List<Received> requests = new CopyOnWriteArrayList<>();

		Receiver(HttpServer server) {
			this.server = server;
		}

		URI url(String path) {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
		}

		void record(HttpExchange exchange) throws IOException {
			// Lower-case names, as Standard Webhooks libraries look headers up.
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.requests.add(new Received(Instant.now(), exchange.getRemoteAddress(), headers, body));
		}

	}

}
