package io.millrace.serving.history;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.serving.api.ApiException;

/**
 * Reads a sensor's final windows from lakehouse-service's Gold history API ({@code GET
 * /api/v1/history/sensors/{id}/aggregates}). Its refusals (a range or an answer too
 * large) come back to the caller as the same {@code 400}; a lakehouse that does not
 * answer, or answers with an error, is a {@code 503} naming it — a history query never
 * silently returns only the hot part.
 */
public final class GoldHistoryClient {

	private final HttpClient http;

	private final HistoryProperties properties;

	/**
	 * @param properties where the lakehouse is
	 */
	public GoldHistoryClient(HistoryProperties properties) {
		this.properties = properties;
		this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
	}

	/**
	 * @param sensorId the sensor
	 * @param metric the metric
	 * @param kind the window kind
	 * @param size the window size (a session's gap)
	 * @param from first window start, inclusive
	 * @param to last window start, exclusive
	 * @return the final windows Gold holds, by start
	 */
	public List<WindowAggregate> windows(String sensorId, String metric, String kind, Duration size, Instant from,
			Instant to) {
		StringBuilder query = new StringBuilder("from=").append(from).append("&to=").append(to);
		append(query, "metric", metric);
		append(query, "kind", kind);
		append(query, "size", (size != null) ? size.toString() : null);
		URI uri = URI.create(this.properties.url().toString().replaceAll("/+$", "") + "/api/v1/history/sensors/"
				+ URLEncoder.encode(sensorId, StandardCharsets.UTF_8).replace("+", "%20") + "/aggregates?" + query);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.timeout())
			.header("Accept", "application/json");
		if (this.properties.apiKey() != null && !this.properties.apiKey().isBlank()) {
			request.header("X-API-Key", this.properties.apiKey());
		}
		HttpResponse<byte[]> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw unavailable("did not answer: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable("was interrupted");
		}
		try {
			JsonNode body = MillraceJson.mapper().readTree(response.body());
			if (response.statusCode() == 400) {
				throw ApiException.invalidParameter("from",
						"The lakehouse refused the history part of the range: " + body.path("detail").asText());
			}
			if (response.statusCode() != 200) {
				throw unavailable("answered " + response.statusCode() + ": " + body.path("detail").asText());
			}
			List<WindowAggregate> windows = new ArrayList<>();
			for (JsonNode window : body.path("windows")) {
				windows.add(MillraceJson.mapper().treeToValue(window, WindowAggregate.class));
			}
			return windows;
		}
		catch (IOException ex) {
			throw unavailable("answered " + response.statusCode() + " with a body that is not history: " + ex);
		}
	}

	private static void append(StringBuilder query, String name, String value) {
		if (value != null) {
			query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
		}
	}

	private ApiException unavailable(String what) {
		return ApiException.historyUnavailable("The lakehouse's history API (" + this.properties.url() + ") " + what
				+ "; the hot store alone cannot answer a range older than it holds");
	}

}
