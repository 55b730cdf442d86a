package io.millrace.alerting.delivery.target;

import java.net.InetAddress;
import java.net.URI;

/**
 * A webhook URL that passed the guard, and the one address it was checked at: the address
 * to connect to for this attempt, whatever the name resolves to a moment later.
 *
 * @param url the URL as configured (its host stays the TLS and Host-header name)
 * @param address the checked address
 */
public record GuardedTarget(URI url, InetAddress address) {

	/**
	 * The port to connect to.
	 * @return the URL's port, or the scheme's default
	 */
	public int port() {
		if (this.url.getPort() != -1) {
			return this.url.getPort();
		}
		return "https".equalsIgnoreCase(this.url.getScheme()) ? 443 : 80;
	}

}
