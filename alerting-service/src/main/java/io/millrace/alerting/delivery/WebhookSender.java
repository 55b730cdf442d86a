package io.millrace.alerting.delivery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;

import io.millrace.alerting.delivery.signing.WebhookSigner;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.GuardedTarget;
import io.millrace.alerting.delivery.target.TargetRefusedException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;

/**
 * Makes one signed HTTP attempt of one notification and says what it means.
 * <p>
 * Each attempt asks the {@link DeliveryTargetGuard} for the address to use and then
 * connects to that address only: the attempt's HTTP client resolves the URL's host to the
 * checked address and to nothing else, and a connection it keeps alive is reused only by
 * attempts that were checked at the same address ({@link PinnedClients}). The URL's host
 * name still goes in the {@code Host} header, in TLS SNI and in certificate verification,
 * so https keeps verifying the certificate against the name the subscription was created
 * with. (java.net.http.HttpClient cannot do this: it has no resolver hook and treats
 * {@code Host} as a restricted header. Apache HttpClient's {@link DnsResolver} is the
 * hook.)
 * <p>
 * Redirects are never followed and never retried: a 3xx is {@link AttemptOutcome#REJECTED
 * REJECTED}, and its {@code Location} is only reported. Following one would let a
 * receiver point delivery at an address the guard never saw.
 */
public final class WebhookSender implements AutoCloseable {

	/** Bytes of a receiver's answer read so that its connection can be kept. */
	private static final long MAX_DRAINED_BODY = 16 * 1024;

	private final DeliveryTargetGuard guard;

	private final WebhookSigner signer;

	private final PinnedClients clients;

	private final Clock clock;

	/**
	 * @param guard the SSRF guard
	 * @param signer the Standard Webhooks signer
	 * @param timeouts how long to wait for a connection and an answer
	 * @param tls trust for https receivers ({@link ReceiverTrust} in the service)
	 * @param clock the clock the signature timestamp and {@code Retry-After} dates use
	 */
	public WebhookSender(DeliveryTargetGuard guard, WebhookSigner signer, Timeouts timeouts, SSLContext tls,
			Clock clock) {
		this.guard = guard;
		this.signer = signer;
		this.clients = new PinnedClients(timeouts, tls, System::nanoTime);
		this.clock = clock;
	}

	/**
	 * A sender with the system clock.
	 * @param guard the SSRF guard
	 * @param timeouts how long to wait for a connection and an answer
	 * @param tls trust for https receivers ({@link ReceiverTrust})
	 * @return the sender
	 */
	public static WebhookSender withDefaults(DeliveryTargetGuard guard, Timeouts timeouts, SSLContext tls) {
		return new WebhookSender(guard, new WebhookSigner(), timeouts, tls, Clock.systemUTC());
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
		try {
			return exchange(target, post);
		}
		catch (NoHttpResponseException | ConnectionClosedException ex) {
			// Most often a kept-alive connection the receiver closed just as it was
			// reused: once more, at once, on a fresh one. (If the receiver did take the
			// request, this is a duplicate within at-least-once, with the same id.)
			return retriedOnAFreshConnection(target, post);
		}
		catch (SocketTimeoutException ex) {
			return timedOut(target, ex);
		}
		catch (InterruptedIOException ex) {
			return interrupted();
		}
		catch (IOException ex) {
			return unreachable(target, ex);
		}
	}

	@Override
	public void close() {
		this.clients.close();
	}

	private AttemptResult exchange(GuardedTarget target, HttpPost post) throws IOException {
		CloseableHttpResponse response = this.clients.clientFor(target).execute(post);
		boolean reusable = false;
		try {
			AttemptResult result = classify(response.getCode(), response);
			reusable = drainedIfSmall(response.getEntity());
			return result;
		}
		finally {
			response.close(reusable ? CloseMode.GRACEFUL : CloseMode.IMMEDIATE);
		}
	}

	/**
	 * Status and headers are all an attempt needs. A small body of declared length is
	 * read and dropped, so the connection can be kept; any other body is not read at all
	 * and the connection is closed with it, so that a receiver cannot hold an attempt
	 * open by streaming one.
	 */
	private static boolean drainedIfSmall(HttpEntity entity) {
		if (entity == null) {
			return true;
		}
		long length = entity.getContentLength();
		if (length < 0 || length > MAX_DRAINED_BODY || entity.isChunked()) {
			return false;
		}
		try {
			EntityUtils.consume(entity);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private AttemptResult retriedOnAFreshConnection(GuardedTarget target, HttpPost post) {
		this.clients.discard(target);
		post.reset();
		try {
			return exchange(target, post);
		}
		catch (SocketTimeoutException ex) {
			return timedOut(target, ex);
		}
		catch (InterruptedIOException ex) {
			return interrupted();
		}
		catch (IOException ex) {
			return unreachable(target, ex);
		}
	}

	private static AttemptResult timedOut(GuardedTarget target, SocketTimeoutException ex) {
		return AttemptResult.noAnswer(AttemptOutcome.RETRY, "No answer from " + target.url().getHost() + " ("
				+ target.address().getHostAddress() + ") in time: " + ex.getMessage());
	}

	private static AttemptResult interrupted() {
		Thread.currentThread().interrupt();
		return AttemptResult.noAnswer(AttemptOutcome.RETRY, "Interrupted");
	}

	private static AttemptResult unreachable(GuardedTarget target, IOException ex) {
		return AttemptResult.noAnswer(AttemptOutcome.RETRY,
				"Could not reach " + target.url().getHost() + " (" + target.address().getHostAddress() + "): " + ex);
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
