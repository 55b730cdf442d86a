package io.millrace.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate (for a host name and 127.0.0.1) made by the JDK's
 * {@code keytool} (so tests need no openssl and no crypto library), for TLS tests: as PEM
 * files, the form Spring Boot's SSL bundles and Kubernetes TLS Secrets use, and as a
 * client {@link SSLContext} that trusts this certificate and nothing else.
 *
 * @param certificate the certificate
 * @param privateKey its private key
 */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {

	private static final char[] PASSWORD = "changeit".toCharArray();

	/**
	 * Makes a certificate valid for two days.
	 * @param dnsName the name it is issued to (CN and subject alternative name)
	 * @param workDirectory where keytool writes its key store
	 * @return the certificate
	 */
	public static SelfSignedCertificate generate(String dnsName, Path workDirectory) {
		try {
			Path keystore = Files.createTempFile(workDirectory, "self-signed", ".p12");
			Files.delete(keystore);
			Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
					"-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=" + dnsName, "-ext",
					"SAN=dns:" + dnsName + ",ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
					keystore.toString(), "-storepass", new String(PASSWORD))
				.redirectErrorStream(true)
				.start();
			String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(keystore)) {
				store.load(in, PASSWORD);
			}
			return new SelfSignedCertificate((X509Certificate) store.getCertificate("server"),
					(PrivateKey) store.getKey("server", PASSWORD));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Writes the certificate and its PKCS#8 key as PEM, each file replaced in one move so
	 * a watcher never reads half of one.
	 * @param certificateFile the certificate's file
	 * @param keyFile the key's file
	 */
	public void writePem(Path certificateFile, Path keyFile) {
		replace(certificateFile, certificatePem());
		replace(keyFile, privateKeyPem());
	}

	/**
	 * @return the certificate, PEM
	 */
	public String certificatePem() {
		try {
			return pem("CERTIFICATE", this.certificate.getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return the private key, PKCS#8 PEM
	 */
	public String privateKeyPem() {
		return pem("PRIVATE KEY", this.privateKey.getEncoded());
	}

	/**
	 * A client context that trusts this certificate only.
	 * @return the context
	 */
	public SSLContext trustingOnlyThis() {
		try {
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("server", this.certificate);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A server context that presents this certificate.
	 * @return the context
	 */
	public SSLContext serverContext() {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("server", this.privateKey, PASSWORD, new X509Certificate[] { this.certificate });
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(keys, PASSWORD);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(factory.getKeyManagers(), null, null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static void replace(Path file, String content) {
		try {
			Path next = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".next");
			Files.writeString(next, content);
			Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
