package io.millrace.alerting.delivery;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.springframework.boot.ssl.SslBundles;

/**
 * Which certificates of https receivers the sender accepts: the JVM's trusted
 * authorities, plus those of an operator's own store (a private CA for receivers inside
 * the company). Adding, not replacing, is the point: a subscription to a public receiver
 * keeps working when someone configures a private CA for another. Host names are still
 * verified by the sender against the URL's host.
 */
public final class ReceiverTrust {

	private ReceiverTrust() {
	}

	/**
	 * The JVM's trust, plus the named SSL bundle's trust store
	 * ({@code millrace.alerting.delivery.trust-bundle}). The bundle is read once: a
	 * rotated CA takes a restart (a receiver's own certificate rotating needs nothing).
	 * @param bundleName the bundle; blank: the JVM's trust only
	 * @param bundles the application's SSL bundles
	 * @return the TLS context
	 */
	public static SSLContext of(String bundleName, SslBundles bundles) {
		if (bundleName.isBlank()) {
			return jvmDefault();
		}
		return withAlso(bundleTrust(bundleName, bundles));
	}

	static List<TrustManager> bundleTrust(String bundleName, SslBundles bundles) {
		return List.of(bundles.getBundle(bundleName).getManagers().getTrustManagers());
	}

	/**
	 * The JVM's trust only.
	 * @return the TLS context
	 */
	public static SSLContext jvmDefault() {
		return withAlso(List.of());
	}

	/**
	 * The JVM's trust, and also the authorities the given trust managers accept.
	 * @param additional trust managers of the operator's store (for example a Spring Boot
	 * SSL bundle's)
	 * @return the TLS context
	 */
	public static SSLContext withAlso(List<TrustManager> additional) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { combined(additional) }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot build the TLS context for webhook receivers", ex);
		}
	}

	static X509TrustManager combined(List<TrustManager> additional) throws GeneralSecurityException {
		List<X509TrustManager> managers = new ArrayList<>(x509(jvmTrustManagers()));
		managers.addAll(x509(additional));
		return new AnyOf(managers);
	}

	private static List<TrustManager> jvmTrustManagers() throws GeneralSecurityException {
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init((KeyStore) null);
		return Arrays.asList(factory.getTrustManagers());
	}

	private static List<X509TrustManager> x509(List<TrustManager> managers) {
		return managers.stream().filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).toList();
	}

	/** Trusts a server chain that any of its managers trusts. */
	private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			CertificateException last = new CertificateException("No trust manager");
			for (X509TrustManager manager : this.managers) {
				try {
					manager.checkServerTrusted(chain, authType);
					return;
				}
				catch (CertificateException ex) {
					last = ex;
				}
			}
			throw last;
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("The webhook sender is a client only");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.managers.stream()
				.flatMap((manager) -> Arrays.stream(manager.getAcceptedIssuers()))
				.toArray(X509Certificate[]::new);
		}

	}

}
