package io.millrace.alerting.delivery.target;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.millrace.alerting.delivery.target.TargetRefusedException.Reason;

/**
 * The SSRF guard of webhook delivery: a subscription's URL is only ever connected to if
 * it is https (or http, where configuration allows), and every address its host resolves
 * to is a public one, unless the allow-list names the host or the address.
 * <p>
 * The guard resolves the host itself and hands back the address it checked; the sender
 * connects to exactly that address. Resolving again at connect time would let a name that
 * answers with a public address to the check and a private one to the connection (DNS
 * rebinding) through.
 */
public final class DeliveryTargetGuard {

	private static final List<NamedRange> FORBIDDEN = List.of(
			// Cloud instance metadata first, so the reason names it rather than
			// "link-local".
			new NamedRange("169.254.169.254/32", "the cloud instance metadata service"),
			new NamedRange("168.63.129.16/32", "the Azure platform wireserver"),
			new NamedRange("fd00:ec2::254/128", "the cloud instance metadata service"),
			new NamedRange("0.0.0.0/8", "a 'this network' address"), new NamedRange("10.0.0.0/8", "a private address"),
			new NamedRange("172.16.0.0/12", "a private address"), new NamedRange("192.168.0.0/16", "a private address"),
			new NamedRange("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
			new NamedRange("127.0.0.0/8", "a loopback address"),
			new NamedRange("169.254.0.0/16", "a link-local address"),
			new NamedRange("192.0.0.0/24", "an IETF protocol assignment address"),
			new NamedRange("198.18.0.0/15", "a benchmarking address"),
			new NamedRange("224.0.0.0/4", "a multicast address"), new NamedRange("240.0.0.0/4", "a reserved address"),
			new NamedRange("::/128", "the unspecified address"), new NamedRange("::1/128", "a loopback address"),
			new NamedRange("fc00::/7", "a unique-local (private) address"),
			new NamedRange("fe80::/10", "a link-local address"), new NamedRange("fec0::/10", "a site-local address"),
			new NamedRange("ff00::/8", "a multicast address"));

	private static final Set<String> SCHEMES = Set.of("http", "https");

	private final TargetPolicy policy;

	private final Resolver resolver;

	private final List<AddressRange> allowedRanges;

	private final Set<String> allowedHosts;

	/**
	 * @param policy the scheme rule and the allow-list
	 * @param resolver host name to addresses ({@link Resolver#SYSTEM} in the service)
	 */
	public DeliveryTargetGuard(TargetPolicy policy, Resolver resolver) {
		this.policy = policy;
		this.resolver = resolver;
		List<AddressRange> ranges = new ArrayList<>();
		List<String> hosts = new ArrayList<>();
		for (String entry : policy.allowList()) {
			if (AddressRange.looksLikeCidr(entry)) {
				ranges.add(AddressRange.parse(entry));
			}
			else {
				hosts.add(entry.trim().toLowerCase(Locale.ROOT));
			}
		}
		this.allowedRanges = List.copyOf(ranges);
		this.allowedHosts = Set.copyOf(hosts);
	}

	/**
	 * Check a URL for one attempt.
	 * @param url the subscription's URL (or a redirect target, should one ever be
	 * considered)
	 * @return the URL and the address to connect to
	 * @throws TargetRefusedException with the reason, if it may not be delivered to
	 */
	public GuardedTarget check(URI url) throws TargetRefusedException {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : null;
		if (scheme == null || !SCHEMES.contains(scheme)) {
			throw new TargetRefusedException(Reason.SCHEME_NOT_ALLOWED,
					"Webhook URL " + url + " is not https; only https URLs are delivered to");
		}
		if ("http".equals(scheme) && !this.policy.allowHttp()) {
			throw new TargetRefusedException(Reason.SCHEME_NOT_ALLOWED, "Webhook URL " + url
					+ " is plain http; only https is allowed (http can be allowed for local use by configuration)");
		}
		String host = url.getHost();
		if (host == null || host.isBlank() || !url.isAbsolute() || url.isOpaque()) {
			throw new TargetRefusedException(Reason.INVALID_URL, "Webhook URL " + url + " has no host");
		}
		if (url.getRawUserInfo() != null) {
			throw new TargetRefusedException(Reason.INVALID_URL,
					"Webhook URL " + url.getHost() + " carries user info; use custom headers for credentials");
		}
		String name = unbracketed(host).toLowerCase(Locale.ROOT);
		List<InetAddress> addresses;
		try {
			addresses = this.resolver.resolve(name);
		}
		catch (UnknownHostException ex) {
			throw new TargetRefusedException(Reason.UNRESOLVABLE, "Webhook host " + name + " does not resolve");
		}
		if (addresses.isEmpty()) {
			throw new TargetRefusedException(Reason.UNRESOLVABLE, "Webhook host " + name + " does not resolve");
		}
		boolean hostAllowed = this.allowedHosts.contains(name);
		// Every address must pass, not just the one we pick: a name that mixes a public
		// address with an internal one is how rebinding attacks start.
		for (InetAddress address : addresses) {
			String forbidden = hostAllowed ? null : forbiddenBecause(address);
			if (forbidden != null) {
				throw new TargetRefusedException(Reason.FORBIDDEN_ADDRESS,
						"Webhook host " + name + " resolves to " + address.getHostAddress() + ", " + forbidden
								+ "; only public addresses are delivered to unless the allow-list names them");
			}
		}
		return new GuardedTarget(url, addresses.get(0));
	}

	/** Null if the address may be connected to, else what kind of address it is. */
	private String forbiddenBecause(InetAddress address) {
		if (isAllowListed(address)) {
			return null;
		}
		for (NamedRange range : FORBIDDEN) {
			if (range.range().contains(address)) {
				return range.description();
			}
		}
		// The JDK's own classification catches what the table may miss.
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return "an internal address";
		}
		InetAddress embedded = embeddedIpv4(address);
		if (embedded != null) {
			String inner = forbiddenBecause(embedded);
			if (inner != null) {
				return "an IPv6 form of " + embedded.getHostAddress() + ", " + inner;
			}
		}
		return null;
	}

	private boolean isAllowListed(InetAddress address) {
		return this.allowedRanges.stream().anyMatch((range) -> range.contains(address));
	}

	/**
	 * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible
	 * ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) or 6to4
	 * ({@code 2002:aabb:ccdd::}) IPv6 address: each can reach the IPv4 host it names.
	 */
	static InetAddress embeddedIpv4(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return null;
		}
		byte[] b = address.getAddress();
		byte[] v4 = null;
		if (allZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
			v4 = new byte[] { b[12], b[13], b[14], b[15] };
		}
		else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
			v4 = new byte[] { b[12], b[13], b[14], b[15] };
		}
		else if (b[0] == 0x20 && b[1] == 0x02) {
			v4 = new byte[] { b[2], b[3], b[4], b[5] };
		}
		if (v4 == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(v4);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean allZero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static String unbracketed(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	@Override
	public String toString() {
		return "DeliveryTargetGuard[allowHttp=" + this.policy.allowHttp() + ", allow="
				+ this.allowedRanges.stream().map(Object::toString).collect(Collectors.joining(",")) + ","
				+ this.allowedHosts + "]";
	}

	private record NamedRange(AddressRange range, String description) {

		NamedRange(String cidr, String description) {
			this(AddressRange.parse(cidr), description);
		}

	}

}
