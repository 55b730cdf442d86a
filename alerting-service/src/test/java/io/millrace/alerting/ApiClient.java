package io.millrace.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.MillraceJson;

/** Real HTTP requests to alerting-service's API with one API key. */
final class ApiClient {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	private final String key;

	ApiClient(int port, String key) {
		this.port = port;
		this.key = key;
	}

	HttpResponse<String> get(String path) {
		return send("GET", path, null, Map.of());
	}

	HttpResponse<String> send(String method, String path, String json) {
		return send(method, path, json, Map.of());
	}

	HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (this.key != null) {
			request.header("X-API-Key", this.key);
		}
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		headers.forEach(request::header);
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		try {
			return MillraceJson.mapper().readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
