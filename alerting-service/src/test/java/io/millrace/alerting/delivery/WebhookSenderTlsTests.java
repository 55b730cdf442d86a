package io.millrace.alerting.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.signing.WebhookSigner;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * https with the address pinned: a real TLS receiver on 127.0.0.1 whose certificate names
 * {@code hooks.test} only. The sender connects to the checked address and still verifies
 * the certificate against the URL's host name.
 */
class WebhookSenderTlsTests {

	private static final Resolver RESOLVER = (host) -> switch (host) {
		case "hooks.test", "impostor.test" -> List.of(InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }));
		default -> throw new UnknownHostException(host);
	};

	@TempDir
	static Path directory;

	private static HttpsServer receiver;

	private static SSLContext trustingTheReceiver;

	private static final List<String> hosts = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startTlsReceiver() throws Exception {
		char[] password = "changeit".toCharArray();
		Path keystore = directory.resolve("receiver.p12");
		// A throwaway self-signed certificate for hooks.test, made by the JDK's keytool.
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-dname", "CN=hooks.test", "-ext",
				"SAN=dns:hooks.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
				"-storepass", "changeit")
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(keytool.exitValue()).as(output).isZero();

		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keystore)) {
			store.load(in, password);
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, password);
		SSLContext serverTls = SSLContext.getInstance("TLS");
		serverTls.init(keys.getKeyManagers(), null, null);
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		trustingTheReceiver = SSLContext.getInstance("TLS");
		trustingTheReceiver.init(null, trust.getTrustManagers(), null);

		receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		receiver.setHttpsConfigurator(new HttpsConfigurator(serverTls));
		receiver.createContext("/", (exchange) -> {
			hosts.add(exchange.getRequestHeaders().getFirst("Host"));
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterAll
	static void stop() {
		receiver.stop(0);
	}

	@Test
	void httpsToThePinnedAddressVerifiesTheCertificateAgainstTheHostName() {
		hosts.clear();
		AttemptResult result = sender().send(request("hooks.test"));
		assertThat(result.outcome()).as(result.detail()).isEqualTo(AttemptOutcome.DELIVERED);
		assertThat(hosts).containsExactly("hooks.test:" + receiver.getAddress().getPort());
	}

	@Test
	void aCertificateForAnotherNameFailsTheHandshake() {
		hosts.clear();
		AttemptResult result = sender().send(request("impostor.test"));
		assertThat(result.outcome()).isEqualTo(AttemptOutcome.RETRY);
		assertThat(result.detail()).contains("Certificate for <impostor.test> doesn't match",
				"subject alternative names: [hooks.test]");
		assertThat(hosts).as("no request got through").isEmpty();
	}

	private static WebhookSender sender() {
		return new WebhookSender(new DeliveryTargetGuard(new TargetPolicy(false, List.of("127.0.0.1")), RESOLVER),
				new WebhookSigner(), new WebhookSender.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)),
				trustingTheReceiver, Clock.systemUTC());
	}

	private static WebhookRequest request(String host) {
		return new WebhookRequest(URI.create("https://" + host + ":" + receiver.getAddress().getPort() + "/hook"),
				"msg_tls", "{}".getBytes(StandardCharsets.UTF_8), PayloadFormat.MILLRACE_JSON.contentType(), Map.of(),
				List.of(WebhookSecret.generate()));
	}

}
