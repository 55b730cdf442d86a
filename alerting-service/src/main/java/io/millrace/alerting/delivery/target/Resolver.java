package io.millrace.alerting.delivery.target;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Host name to addresses. The default asks the JVM ({@link InetAddress#getAllByName});
 * tests pass their own, so that no test depends on, or sends traffic towards, what a real
 * name resolves to.
 */
@FunctionalInterface
public interface Resolver {

	/** The JVM's resolver. */
	Resolver SYSTEM = (host) -> List.of(InetAddress.getAllByName(host));

	/**
	 * Every address of a host.
	 * @param host a host name or an IP literal
	 * @return the addresses, never empty
	 * @throws UnknownHostException if the host does not resolve
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

}
