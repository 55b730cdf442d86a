package io.millrace.alerting.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.signing.WebhookSigner;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import io.millrace.security.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

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

	private static SelfSignedCertificate certificate;

	private static final List<String> hosts = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startTlsReceiver() throws Exception {
		certificate = SelfSignedCertificate.generate("hooks.test", directory);
		receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		receiver.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
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

	@Test
	void theJvmsTrustAloneRefusesAReceiverWithAPrivateCertificate() {
		hosts.clear();
		AttemptResult result = sender(ReceiverTrust.of("", new DefaultSslBundleRegistry())).send(request("hooks.test"));
		assertThat(result.outcome()).isEqualTo(AttemptOutcome.RETRY);
		assertThat(result.detail()).contains("PKIX path building failed");
		assertThat(hosts).isEmpty();
	}

	@Test
	void aTrustBundleFromPemFilesIsTrustedBesideTheJvmsAuthorities() throws Exception {
		// As millrace.alerting.delivery.trust-bundle=receivers with
		// spring.ssl.bundle.pem.receivers.truststore.certificate=file:ca.pem configures
		// it.
		Path certificateFile = directory.resolve("ca.pem");
		certificate.writePem(certificateFile, directory.resolve("unused.key"));
		DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
		bundles.registerBundle("receivers", SslBundle
			.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("file:" + certificateFile))));
		SSLContext trust = ReceiverTrust.of("receivers", bundles);

		hosts.clear();
		AttemptResult result = sender(trust).send(request("hooks.test"));
		assertThat(result.outcome()).as(result.detail()).isEqualTo(AttemptOutcome.DELIVERED);
		assertThat(hosts).hasSize(1);
		X509Certificate[] trusted = ReceiverTrust.combined(ReceiverTrust.bundleTrust("receivers", bundles))
			.getAcceptedIssuers();
		assertThat(trusted).as("the bundle's certificate and the JVM's authorities")
			.contains(certificate.certificate())
			.hasSizeGreaterThan(10);
	}

	private static WebhookSender sender() {
		return sender(certificate.trustingOnlyThis());
	}

	private static WebhookSender sender(SSLContext trust) {
		return new WebhookSender(new DeliveryTargetGuard(new TargetPolicy(false, List.of("127.0.0.1")), RESOLVER),
				new WebhookSigner(), new WebhookSender.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), trust,
				Clock.systemUTC());
	}

	private static WebhookRequest request(String host) {
		return new WebhookRequest(URI.create("https://" + host + ":" + receiver.getAddress().getPort() + "/hook"),
				"msg_tls", "{}".getBytes(StandardCharsets.UTF_8), PayloadFormat.MILLRACE_JSON.contentType(), Map.of(),
				List.of(WebhookSecret.generate()));
	}

}
