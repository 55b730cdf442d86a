package io.millrace.alerting.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLContext;

import io.millrace.alerting.delivery.target.GuardedTarget;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients that keep connections alive, one per checked destination: scheme, host
 * name, port and the address the guard checked. A client can resolve its host name to
 * that address only, so a kept connection is always to an address that was checked, and
 * when the guard answers with another address the attempt gets another client (the old
 * one is closed once idle). A fresh TCP (and TLS) connection per attempt was most of an
 * attempt's cost on a loaded machine; notifications of one alert to many subscriptions of
 * one receiver now share a few connections.
 * <p>
 * Each client has no proxy, no redirects, no retries of its own and no cookies.
 * Connections idle longer than {@link #IDLE} are closed, and clients unused for
 * {@link #UNUSED} are dropped, so a receiver's old address does not keep sockets open
 * (both on the next attempt to any receiver: no thread of its own).
 */
final class PinnedClients implements AutoCloseable {

	/** Receivers commonly close keep-alive connections after 5–60 s. */
	static final Duration IDLE = Duration.ofSeconds(4);

	/** Checked before a kept connection is reused after this long without traffic. */
	private static final Duration VALIDATE_AFTER = Duration.ofMillis(500);

	static final Duration UNUSED = Duration.ofMinutes(2);

	/**
	 * Connections per destination. Attempts to one receiver beyond this wait for a free
	 * connection (at most the connect timeout): one attempt per subscription is in
	 * flight, so only a receiver with more subscriptions than this shares connections at
	 * all.
	 */
	private static final int CONNECTIONS_PER_DESTINATION = 256;

	private final Map<Destination, Pinned> clients = new ConcurrentHashMap<>();

	private final WebhookSender.Timeouts timeouts;

	private final SSLContext tls;

	private final LongSupplier nanoTime;

	private volatile long lastSweep;

	PinnedClients(WebhookSender.Timeouts timeouts, SSLContext tls, LongSupplier nanoTime) {
		this.timeouts = timeouts;
		this.tls = tls;
		this.nanoTime = nanoTime;
		this.lastSweep = nanoTime.getAsLong();
	}

	/**
	 * The client for an attempt to a checked target.
	 * @param target the URL and the address the guard checked for this attempt
	 * @return a client that connects to that address only
	 */
	CloseableHttpClient clientFor(GuardedTarget target) {
		long now = this.nanoTime.getAsLong();
		sweepUnused(now);
		Destination destination = Destination.of(target);
		Pinned pinned = this.clients.computeIfAbsent(destination, this::create);
		pinned.lastUsed = now;
		return pinned.client;
	}

	/**
	 * Closes the kept connections of a destination, so the next attempt opens a fresh
	 * one.
	 * @param target the destination
	 */
	void discard(GuardedTarget target) {
		Pinned pinned = this.clients.remove(Destination.of(target));
		if (pinned != null) {
			pinned.client.close(CloseMode.GRACEFUL);
		}
	}

	/**
	 * How many destinations have a client now.
	 * @return the count
	 */
	int destinations() {
		return this.clients.size();
	}

	@Override
	public void close() {
		this.clients.values().forEach((pinned) -> pinned.client.close(CloseMode.IMMEDIATE));
		this.clients.clear();
	}

	private void sweepUnused(long now) {
		if (now - this.lastSweep < IDLE.toNanos()) {
			return;
		}
		this.lastSweep = now;
		long unused = UNUSED.toNanos();
		this.clients.entrySet().removeIf((entry) -> {
			boolean drop = now - entry.getValue().lastUsed > unused;
			if (drop) {
				// Graceful: an attempt that took the client just before the sweep ends
				// normally.
				entry.getValue().client.close(CloseMode.GRACEFUL);
			}
			return drop;
		});
		this.clients.values().forEach((pinned) -> pinned.connections.closeIdle(TimeValue.of(IDLE)));
	}

	private Pinned create(Destination destination) {
		DnsResolver resolver = new PinnedResolver(destination.host(), destination.address());
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(resolver)
			.setTlsSocketStrategy(new DefaultClientTlsStrategy(this.tls))
			.setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
			.setMaxConnTotal(CONNECTIONS_PER_DESTINATION)
			.setMaxConnPerRoute(CONNECTIONS_PER_DESTINATION)
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(this.timeouts.connect()))
				.setSocketTimeout(Timeout.of(this.timeouts.response()))
				.setValidateAfterInactivity(TimeValue.of(VALIDATE_AFTER))
				.setTimeToLive(TimeValue.ofMinutes(5))
				.build())
			.build();
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setConnectionRequestTimeout(Timeout.of(this.timeouts.connect()))
				.setResponseTimeout(Timeout.of(this.timeouts.response()))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.setUserAgent("millrace-alerting")
			.build();
		return new Pinned(client, connections);
	}

	/**
	 * Where one client may connect.
	 *
	 * @param scheme http or https
	 * @param host the URL's host, lower case
	 * @param port the port
	 * @param address the checked address
	 */
	private record Destination(String scheme, String host, int port, InetAddress address) {

		static Destination of(GuardedTarget target) {
			return new Destination(target.url().getScheme().toLowerCase(Locale.ROOT),
					target.url().getHost().toLowerCase(Locale.ROOT), target.port(), target.address());
		}

	}

	private static final class Pinned {

		private final CloseableHttpClient client;

		private final PoolingHttpClientConnectionManager connections;

		private volatile long lastUsed;

		Pinned(CloseableHttpClient client, PoolingHttpClientConnectionManager connections) {
			this.client = client;
			this.connections = connections;
		}

	}

	/** Resolves the checked host name to the checked address, and nothing else at all. */
	private record PinnedResolver(String host, InetAddress address) implements DnsResolver {

		@Override
		public InetAddress[] resolve(String name) throws UnknownHostException {
			if (!unbracketed(name).equalsIgnoreCase(unbracketed(this.host))) {
				throw new UnknownHostException(name + " was not checked by the delivery target guard");
			}
			return new InetAddress[] { this.address };
		}

		@Override
		public String resolveCanonicalHostname(String name) {
			return name;
		}

		private static String unbracketed(String host) {
			return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		}

	}

}
