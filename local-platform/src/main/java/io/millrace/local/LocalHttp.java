package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The few HTTP calls the launcher and the tests make against running services: GETs and
 * JSON POSTs, with headers such as an API key, and short timeouts.
 */
public final class LocalHttp {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private LocalHttp() {
	}

	/**
	 * GET a URL.
	 * @param url the URL
	 * @return the response with its body as text
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public static HttpResponse<String> get(String url) {
		return get(url, Map.of());
	}

	/**
	 * GET a URL with headers (an API key, say).
	 * @param url the URL
	 * @param headers the headers
	 * @return the response with its body as text
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public static HttpResponse<String> get(String url, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
		headers.forEach(request::header);
		return send(request.build());
	}

	/**
	 * POST a body with a content type.
	 * @param url the URL
	 * @param contentType the {@code Content-Type}
	 * @param body the body
	 * @return the response with its body as text
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public static HttpResponse<String> post(String url, String contentType, String body) {
		return post(url, contentType, body, Map.of());
	}

	/**
	 * POST a body with a content type and more headers (an API key, say).
	 * @param url the URL
	 * @param contentType the {@code Content-Type}
	 * @param body the body
	 * @param headers the other headers
	 * @return the response with its body as text
	 * @throws UncheckedIOException if the server cannot be reached
	 */
	public static HttpResponse<String> post(String url, String contentType, String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(TIMEOUT)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return send(request.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
