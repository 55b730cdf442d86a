package io.millrace.security;

import java.time.Instant;
import java.util.Map;

import org.springframework.security.oauth2.jwt.Jwt;

/** Decoded Entra ID access tokens with the claims a test names, valid for a minute. */
final class TestJwts {

	private TestJwts() {
	}

	static Jwt jwt(Map<String, Object> claims) {
		Jwt.Builder jwt = Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60));
		claims.forEach(jwt::claim);
		return jwt.build();
	}

}
