package io.millrace.lakehouse.powerbi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Power BI's POST rows endpoint of one push dataset table, on
 * 127.0.0.1, that enforces the documented push-dataset limits: at most 10,000 rows per
 * request (400), at most {@code requestsPerWindow} requests per {@code window} (429 with
 * {@code Retry-After} in seconds; 120 a minute in Power BI, fewer and shorter here so
 * that tests run in seconds), at most 5 pending requests (429), 4,000 characters per
 * string value (400); and the bearer token (401), the path (404) and the JSON shape
 * against the table's columns and types (400). Faults can be queued to answer the next
 * requests.
 */
final class PowerBiReceiver implements AutoCloseable {

	static final int MAX_ROWS = 10_000;

	static final int MAX_PENDING = 5;

	private final ObjectMapper json = new ObjectMapper();

	private final HttpServer server;

	private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(8);

	private final String token;

	private final String path;

	private final int requestsPerWindow;

	private final long windowNanos;

	private final Map<String, String> columns = new LinkedHashMap<>();

	private final Deque<Long> accepted = new ArrayDeque<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final ConcurrentLinkedQueue<int[]> faults = new ConcurrentLinkedQueue<>();

	private final List<JsonNode> rows = Collections.synchronizedList(new ArrayList<>());

	private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());

	PowerBiReceiver(String token, String datasetId, String table, int requestsPerWindow, Duration window)
			throws IOException {
		this.token = token;
		this.path = "/v1.0/myorg/datasets/" + datasetId + "/tables/" + table + "/rows";
		this.requestsPerWindow = requestsPerWindow;
		this.windowNanos = window.toNanos();
		PowerBiRows.COLUMNS.forEach((column) -> this.columns.put(column.getKey(), column.getValue()));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	URI apiBase() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/** The next request is answered with this status (and Retry-After seconds if > 0). */
	void failNext(int status, int retryAfterSeconds) {
		this.faults.add(new int[] { status, retryAfterSeconds });
	}

	List<JsonNode> rows() {
		synchronized (this.rows) {
			return List.copyOf(this.rows);
		}
	}

	List<Answer> answers() {
		synchronized (this.answers) {
			return List.copyOf(this.answers);
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (this.pending.incrementAndGet() > MAX_PENDING) {
				answer(exchange, 429, 1, 0, "more than " + MAX_PENDING + " pending POST rows requests");
				return;
			}
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			handle(exchange, body);
		}
		finally {
			this.pending.decrementAndGet();
		}
	}

	private void handle(HttpExchange exchange, byte[] body) throws IOException {
		if (!"POST".equals(exchange.getRequestMethod()) || !this.path.equals(exchange.getRequestURI().getPath())) {
			answer(exchange, 404, 0, 0, "no such dataset table: " + exchange.getRequestURI().getPath());
			return;
		}
		if (!("Bearer " + this.token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			answer(exchange, 401, 0, 0, "TokenExpired or invalid");
			return;
		}
		int[] fault = this.faults.poll();
		if (fault != null) {
			answer(exchange, fault[0], fault[1], 0, "injected " + fault[0]);
			return;
		}
		int retryAfter = throttled();
		if (retryAfter > 0) {
			answer(exchange, 429, retryAfter, 0, "more than " + this.requestsPerWindow + " requests per window");
			return;
		}
		String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
		if (contentType == null || !contentType.startsWith("application/json")) {
			answer(exchange, 415, 0, 0, "not JSON: " + contentType);
			return;
		}
		List<JsonNode> parsed = new ArrayList<>();
		String invalid = parse(body, parsed);
		if (invalid != null) {
			answer(exchange, 400, 0, parsed.size(), invalid);
			return;
		}
		this.rows.addAll(parsed);
		answer(exchange, 200, 0, parsed.size(), "");
	}

	/**
	 * @return the Retry-After seconds when over the request budget, else 0 (counted)
	 */
	private synchronized int throttled() {
		long now = System.nanoTime();
		while (!this.accepted.isEmpty() && now - this.accepted.peekFirst() >= this.windowNanos) {
			this.accepted.pollFirst();
		}
		if (this.accepted.size() >= this.requestsPerWindow) {
			long left = this.windowNanos - (now - this.accepted.peekFirst());
			return (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
		}
		this.accepted.addLast(now);
		return 0;
	}

	private String parse(byte[] body, List<JsonNode> parsed) {
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (IOException ex) {
			return "body is not JSON";
		}
		if (root == null || !root.isObject() || root.size() != 1 || !root.path("rows").isArray()) {
			return "body must be {\"rows\":[...]}";
		}
		JsonNode rows = root.get("rows");
		if (rows.size() > MAX_ROWS) {
			parsed.addAll(List.of());
			return rows.size() + " rows: more than " + MAX_ROWS + " in one POST rows request";
		}
		for (JsonNode row : rows) {
			if (!row.isObject()) {
				return "a row is not an object";
			}
			for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext();) {
				Map.Entry<String, JsonNode> field = fields.next();
				String type = this.columns.get(field.getKey());
				if (type == null) {
					return "no column " + field.getKey();
				}
				String wrong = check(type, field.getValue());
				if (wrong != null) {
					return "column " + field.getKey() + ": " + wrong;
				}
			}
			parsed.add(row);
		}
		return null;
	}

	private static String check(String type, JsonNode value) {
		if (value.isNull()) {
			return null;
		}
		switch (type) {
			case "String":
				if (!value.isTextual()) {
					return "not a string";
				}
				return (value.asText().length() > 4_000) ? "more than 4,000 characters" : null;
			case "Int64":
				return value.isIntegralNumber() ? null : "not an Int64";
			case "Double":
				return value.isNumber() ? null : "not a Double";
			case "DateTime":
				try {
					Instant.parse(value.asText());
					return null;
				}
				catch (DateTimeParseException ex) {
					return "not a DateTime";
				}
			default:
				return "unknown type " + type;
		}
	}

	private void answer(HttpExchange exchange, int status, int retryAfter, int rowCount, String message)
			throws IOException {
		this.answers.add(new Answer(status, rowCount, System.nanoTime()));
		if (retryAfter > 0) {
			exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
		}
		byte[] body = (status == 200) ? new byte[0]
				: this.json.writeValueAsBytes(Map.of("error", Map.of("code", "Status" + status, "message", message)));
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * @param status the status answered
	 * @param rows rows in an accepted (or shape-checked) request
	 * @param at when, {@link System#nanoTime()}
	 */
	record Answer(int status, int rows, long at) {
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
