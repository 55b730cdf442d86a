package io.millrace.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A stand-in for Microsoft Entra ID in tests: an RSA signing key whose public half is
 * served as a JWKS document by a real HTTP server on 127.0.0.1, and access tokens signed
 * with it as Entra ID issues them to daemon applications (app roles in {@code roles}, the
 * client in {@code azp}). A service pointed at it ({@link #register}) checks signature,
 * issuer, audience and expiry exactly as it would against Entra ID; only the discovery of
 * the key set is replaced by {@code jwk-set-uri}.
 */
public final class TestTokenIssuer implements AutoCloseable {

	/** The issuer of the tokens: a v2.0 Entra ID tenant. */
	public static final String ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";

	/** The client application the tokens are issued to ({@code azp}). */
	public static final String CLIENT = "11111111-2222-3333-4444-555555555555";

	private final RSAKey signingKey = generateKey();

	private final RSAKey strangerKey = generateKey();

	private final HttpServer server;

	private TestTokenIssuer() {
		this.server = serveJwks(new JWKSet(this.signingKey.toPublicJWK()));
	}

	/**
	 * @return a running issuer; {@link #close()} stops its server
	 */
	public static TestTokenIssuer start() {
		return new TestTokenIssuer();
	}

	/**
	 * @return where the key set is served
	 */
	public String jwksUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/keys";
	}

	/**
	 * Makes a service accept this issuer's tokens for an audience.
	 * @param registry the test's dynamic properties
	 * @param audience the audience tokens must carry ({@code api://millrace-ingest})
	 */
	public void register(DynamicPropertyRegistry registry, String audience) {
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> audience);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", this::jwksUrl);
	}

	/**
	 * @param audience the audience
	 * @param roles the app roles ({@code Telemetry.Read})
	 * @return a valid token for five minutes
	 */
	public String token(String audience, List<String> roles) {
		return token(ISSUER, audience, roles, Instant.now().plusSeconds(300));
	}

	/**
	 * @param issuer the issuer claim
	 * @param audience the audience
	 * @param roles the app roles
	 * @param expires when it expires
	 * @return a token signed with the key this issuer serves
	 */
	public String token(String issuer, String audience, List<String> roles, Instant expires) {
		return sign(this.signingKey, claims(issuer, audience, expires).claim("roles", roles).build());
	}

	/**
	 * @param client the client application ({@code azp}) instead of {@link #CLIENT}
	 * @param audience the audience
	 * @param roles the app roles
	 * @return a valid token for five minutes
	 */
	public String tokenFor(String client, String audience, List<String> roles) {
		return sign(this.signingKey,
				claims(ISSUER, audience, Instant.now().plusSeconds(300)).claim("roles", roles)
					.claim("azp", client)
					.build());
	}

	/**
	 * @param audience the audience
	 * @param roles the app roles
	 * @return a token that is right in every claim but signed with a key this issuer does
	 * not serve
	 */
	public String signedByStranger(String audience, List<String> roles) {
		return sign(this.strangerKey,
				claims(ISSUER, audience, Instant.now().plusSeconds(300)).claim("roles", roles).build());
	}

	/**
	 * @param audience the audience
	 * @param scopes the delegated scopes, space separated as in {@code scp}
	 * @return a valid token as issued to a user through a client application
	 */
	public String delegatedToken(String audience, String scopes) {
		return sign(this.signingKey,
				claims(ISSUER, audience, Instant.now().plusSeconds(300)).claim("scp", scopes).build());
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private static JWTClaimsSet.Builder claims(String issuer, String audience, Instant expires) {
		return new JWTClaimsSet.Builder().issuer(issuer)
			.audience(audience)
			.subject("service-principal-1")
			.claim("azp", CLIENT)
			.issueTime(Date.from(expires.minusSeconds(3600)))
			.expirationTime(Date.from(expires));
	}

	private static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey generateKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpServer serveJwks(JWKSet keys) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			byte[] body = keys.toString().getBytes(StandardCharsets.UTF_8);
			server.createContext("/keys", (exchange) -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
