package io.millrace.alerting.delivery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.millrace.alerting.delivery.signing.WebhookSigner;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.GuardedTarget;
import io.millrace.alerting.delivery.target.TargetRefusedException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one signed HTTP attempt of one notification and says what it means.
 * <p>
 * Each attempt asks the {@link DeliveryTargetGuard} for the address to use and then
 * connects to that address only: the attempt's HTTP client resolves the URL's host to the
 * checked address and to nothing else. The URL's host name still goes in the {@code Host}
 * header, in TLS SNI and in certificate verification, so https keeps verifying the
 * certificate against the name the subscription was created with.
 * (java.net.http.HttpClient cannot do this: it has no resolver hook and treats
 * {@code Host} as a restricted header. Apache HttpClient's {@link DnsResolver} is the
 * hook.)
 * <p>
 * Redirects are never followed and never retried: a 3xx is {@link AttemptOutcome#REJECTED
 * REJECTED}, and its {@code Location} is only reported. Following one would let a
 * receiver point delivery at an address the guard never saw.
 */
public final class WebhookSender {

	private final DeliveryTargetGuard guard;

	private final WebhookSigner signer;

	private final Timeouts timeouts;

	private final SSLContext tls;

	private final Clock clock;

	/**
	 * @param guard the SSRF guard
	 * @param signer the Standard Webhooks signer
	 * @param timeouts how long to wait for a connection and an answer
	 * @param tls trust for https receivers ({@link SSLContext#getDefault()} in the
	 * service)
	 * @param clock the clock the signature timestamp and {@code Retry-After} dates use
	 */
	public WebhookSender(DeliveryTargetGuard guard, WebhookSigner signer, Timeouts timeouts, SSLContext tls,
			Clock clock) {
		this.guard = guard;
		this.signer = signer;
		this.timeouts = timeouts;
		this.tls = tls;
		this.clock = clock;
	}

	/**
	 * A sender with the JVM's trust store and the system clock.
	 * @param guard the SSRF guard
	 * @param timeouts how long to wait for a connection and an answer
	 * @return the sender
	 */
	public static WebhookSender withDefaults(DeliveryTargetGuard guard, Timeouts timeouts) {
		try {
			return new WebhookSender(guard, new WebhookSigner(), timeouts, SSLContext.getDefault(), Clock.systemUTC());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("No default TLS context", ex);
		}
	}

	/**
	 * One attempt. Never throws for anything the receiver or the network does.
	 * @param request the notification and its subscription's settings
	 * @return the outcome
	 */
	public AttemptResult send(WebhookRequest request) {
		GuardedTarget target;
		try {
			target = this.guard.check(request.url());
		}
		catch (TargetRefusedException ex) {
			return AttemptResult.noAnswer(AttemptOutcome.REFUSED, ex.getMessage());
		}
		// Signed now, not when the notification was made: receivers refuse timestamps
		// older than a few minutes, and retries run for hours. The id does not change.
		Map<String, String> signature = this.signer.headers(request.notificationId(), this.clock.instant(),
				request.body(), request.secrets());
		HttpPost post = new HttpPost(request.url());
		post.setEntity(new ByteArrayEntity(request.body(), ContentType.parse(request.contentType())));
		request.customHeaders().forEach(post::addHeader);
		signature.forEach(post::addHeader);
		try (CloseableHttpClient client = clientPinnedTo(target)) {
			// Status and headers are all we need; the body is dropped unread so that a
			// receiver cannot hold the attempt open by streaming one.
			CloseableHttpResponse response = client.execute(post);
			try {
				return classify(response.getCode(), response);
			}
			finally {
				response.close(CloseMode.IMMEDIATE);
			}
		}
		catch (SocketTimeoutException ex) {
			return AttemptResult.noAnswer(AttemptOutcome.RETRY, "No answer from " + target.url().getHost() + " ("
					+ target.address().getHostAddress() + ") in time: " + ex.getMessage());
		}
		catch (InterruptedIOException ex) {
			Thread.currentThread().interrupt();
			return AttemptResult.noAnswer(AttemptOutcome.RETRY, "Interrupted");
		}
		catch (IOException ex) {
			return AttemptResult.noAnswer(AttemptOutcome.RETRY, "Could not reach " + target.url().getHost() + " ("
					+ target.address().getHostAddress() + "): " + ex);
		}
	}

	private AttemptResult classify(int status, CloseableHttpResponse response) {
		if (status >= 200 && status < 300) {
			return new AttemptResult(AttemptOutcome.DELIVERED, status, null, "Delivered (" + status + ")");
		}
		if (status == 410) {
			return new AttemptResult(AttemptOutcome.GONE, status, null,
					"The receiver answered 410 Gone: the subscription is disabled");
		}
		if (status == 408 || status == 429 || status >= 500) {
			Duration retryAfter = RetryAfter.parse(header(response, "Retry-After"), this.clock.instant());
			return new AttemptResult(AttemptOutcome.RETRY, status, retryAfter, "The receiver answered " + status
					+ ((retryAfter != null) ? " with Retry-After " + retryAfter.toSeconds() + " s" : ""));
		}
		if (status >= 300 && status < 400) {
			String location = header(response, "Location");
			return new AttemptResult(AttemptOutcome.REJECTED, status, null, "The receiver redirected (" + status
					+ ") to " + location + "; redirects are not followed: update the subscription's URL");
		}
		return new AttemptResult(AttemptOutcome.REJECTED, status, null,
				"The receiver rejected the notification (" + status + "); not retried");
	}

	private static String header(CloseableHttpResponse response, String name) {
		Header header = response.getFirstHeader(name);
		return (header != null) ? header.getValue() : null;
	}

	/**
	 * A client for one attempt that can connect to the checked address only: any other
	 * host name fails to resolve, and it has no proxy, no redirects, no retries of its
	 * own and no pooled connection left over from an earlier address.
	 */
	private CloseableHttpClient clientPinnedTo(GuardedTarget target) {
		String host = target.url().getHost().toLowerCase(Locale.ROOT);
		InetAddress address = target.address();
		DnsResolver pinned = new DnsResolver() {

			@Override
			public InetAddress[] resolve(String name) throws UnknownHostException {
				if (!unbracketed(name).equalsIgnoreCase(unbracketed(host))) {
					throw new UnknownHostException(name + " was not checked by the delivery target guard");
				}
				return new InetAddress[] { address };
			}

			@Override
			public String resolveCanonicalHostname(String name) {
				return name;
			}

		};
		BasicHttpClientConnectionManager connections = BasicHttpClientConnectionManager.create(
				DefaultSchemePortResolver.INSTANCE, pinned,
				RegistryBuilder.<TlsSocketStrategy>create()
					.register("https", new DefaultClientTlsStrategy(this.tls))
					.build(),
				ManagedHttpClientConnectionFactory.INSTANCE);
		connections.setConnectionConfig(ConnectionConfig.custom()
			.setConnectTimeout(Timeout.of(this.timeouts.connect()))
			.setSocketTimeout(Timeout.of(this.timeouts.response()))
			.build());
		return HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setResponseTimeout(Timeout.of(this.timeouts.response()))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.setUserAgent("millrace-alerting")
			.build();
	}

	private static String unbracketed(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/**
	 * How long one attempt may wait.
	 *
	 * @param connect for the TCP (and TLS) connection
	 * @param response between bytes of the answer
	 */
	public record Timeouts(Duration connect, Duration response) {

		/** 5 s to connect, 10 s for the answer. */
		public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

	}

}
