package io.millrace.lakehouse.powerbi;

import java.time.Duration;
import java.time.OffsetDateTime;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;

/**
 * Bearer tokens from Entra ID through a {@link TokenCredential}
 * ({@code DefaultAzureCredential}: workload identity on AKS, managed identity, the
 * developer's Azure CLI login), kept until five minutes before they expire.
 */
final class EntraAccessTokens implements RowsEndpoint.AccessTokens {

	private static final Duration EARLY = Duration.ofMinutes(5);

	private final TokenCredential credential;

	private final TokenRequestContext request;

	private AccessToken token;

	EntraAccessTokens(TokenCredential credential, String scope) {
		this.credential = credential;
		this.request = new TokenRequestContext().addScopes(scope);
	}

	@Override
	public synchronized String get() {
		if (this.token == null || this.token.getExpiresAt().minus(EARLY).isBefore(OffsetDateTime.now())) {
			this.token = this.credential.getTokenSync(this.request);
		}
		return this.token.getToken();
	}

	@Override
	public synchronized void invalidate() {
		this.token = null;
	}

}
