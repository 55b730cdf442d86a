package io.millrace.lakehouse.powerbi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.millrace.model.json.MillraceJson;

/**
 * The POST rows call of a push dataset: {@code {"rows":[...]}} with a bearer token, over
 * the JDK's HTTP client.
 */
final class RowsEndpoint {

	private static final int DETAIL_CHARS = 500;

	private final HttpClient client;

	private final URI uri;

	private final AccessTokens tokens;

	private final Duration timeout;

	RowsEndpoint(URI uri, AccessTokens tokens, Duration timeout) {
		this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.uri = uri;
		this.tokens = tokens;
		this.timeout = timeout;
	}

	PushResponse post(List<Map<String, Object>> rows) {
		byte[] body;
		try {
			body = MillraceJson.mapper().writeValueAsBytes(Map.of("rows", rows));
		}
		catch (JsonProcessingException ex) {
			return new PushResponse(400, null, "rows not serializable: " + ex.getMessage());
		}
		HttpRequest request = HttpRequest.newBuilder(this.uri)
			.timeout(this.timeout)
			.header("Authorization", "Bearer " + this.tokens.get())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				// An expired or revoked token: the next attempt takes a new one.
				this.tokens.invalidate();
			}
			return new PushResponse(response.statusCode(),
					response.headers().firstValue("Retry-After").map(RowsEndpoint::seconds).orElse(null),
					cut(response.body()));
		}
		catch (IOException ex) {
			return new PushResponse(0, null, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new PushResponse(0, null, "interrupted");
		}
	}

	/** Power BI sends whole seconds; an HTTP date is not expected and read as absent. */
	private static Duration seconds(String value) {
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String cut(String body) {
		if (body == null) {
			return "";
		}
		return (body.length() > DETAIL_CHARS) ? body.substring(0, DETAIL_CHARS) + "..." : body;
	}

	/** Where bearer tokens come from. */
	interface AccessTokens extends Supplier<String> {

		/** The last token was refused: take a new one next time. */
		default void invalidate() {
		}

	}

}
