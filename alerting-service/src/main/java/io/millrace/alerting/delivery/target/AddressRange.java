package io.millrace.alerting.delivery.target;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A CIDR block such as {@code 10.0.0.0/8} or {@code fc00::/7}. Built only from IP
 * literals, so parsing one never touches DNS.
 */
final class AddressRange {

	private final byte[] network;

	private final int prefixLength;

	private final String text;

	private AddressRange(byte[] network, int prefixLength, String text) {
		this.network = network;
		this.prefixLength = prefixLength;
		this.text = text;
	}

	/**
	 * @param cidr {@code address/prefix}, or one address (a full-length prefix)
	 * @return the range
	 * @throws IllegalArgumentException if it is not a CIDR of IP literals
	 */
	static AddressRange parse(String cidr) {
		String[] parts = cidr.trim().split("/", 2);
		byte[] network = literal(parts[0]);
		int prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : network.length * 8;
		if (prefix < 0 || prefix > network.length * 8) {
			throw new IllegalArgumentException("Prefix length out of range in " + cidr);
		}
		return new AddressRange(network, prefix, cidr.trim());
	}

	/**
	 * Whether the text is an IP literal or a CIDR (rather than a host name).
	 * @param text an allow-list entry
	 * @return true for {@code 1.2.3.4}, {@code 10.0.0.0/8}, {@code ::1}, {@code fc00::/7}
	 */
	static boolean looksLikeCidr(String text) {
		String address = text.trim().split("/", 2)[0];
		return address.contains(":") || address.matches("[0-9.]+");
	}

	boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		if (candidate.length != this.network.length) {
			return false;
		}
		int whole = this.prefixLength / 8;
		for (int i = 0; i < whole; i++) {
			if (candidate[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (candidate[whole] & mask) == (this.network[whole] & mask);
	}

	@Override
	public String toString() {
		return this.text;
	}

	private static byte[] literal(String text) {
		String address = text.trim();
		boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
		if (!ipv4 && !address.contains(":")) {
			throw new IllegalArgumentException("Not an IP address: " + text);
		}
		try {
			// An IP literal: getByName parses it without a lookup.
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + text, ex);
		}
	}

}
