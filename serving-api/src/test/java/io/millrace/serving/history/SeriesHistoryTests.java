package io.millrace.serving.history;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.store.Series;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The merge of the Gold history and the hot store, and what a caller gets when the
 * lakehouse refuses or is gone, against a local HTTP server in the lakehouse's place (the
 * real lakehouse answers in the end-to-end test).
 */
class SeriesHistoryTests {

	private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

	private final WindowStore store = new WindowStore(Duration.ofHours(24), 100_000, Duration.ofSeconds(10),
			Clock.fixed(NOW, java.time.ZoneOffset.UTC));

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private HttpServer lakehouse;

	@AfterEach
	void stop() {
		if (this.lakehouse != null) {
			this.lakehouse.stop(0);
		}
	}

	@Test
	void thePartBeforeTheHotStoreComesFromGoldAndTheRestFromTheStore() throws IOException {
		Instant old = NOW.minus(Duration.ofDays(3));
		List<WindowAggregate> gold = new ArrayList<>();
		for (int minute = 0; minute < 10; minute++) {
			gold.add(minute("s-1", old.plus(Duration.ofMinutes(minute)), minute));
		}
		serve(200, MillraceJson.mapper().writeValueAsString(Map.of("windows", gold)));
		this.store.upsert(minute("s-1", NOW.minus(Duration.ofMinutes(5)), 50));
		this.store.upsert(minute("s-1", NOW.minus(Duration.ofMinutes(4)), 51));
		Series series = this.store.sensor("s-1").series().get(0);

		List<StoredWindow> windows = new ArrayList<>(
				history().startingIn(series, old.minus(Duration.ofHours(1)).toEpochMilli(), NOW.toEpochMilli()));

		assertThat(windows).extracting((w) -> w.toAggregate().sum())
			.containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 50.0, 51.0);
		assertThat(windows.get(0).toAggregate()).isEqualTo(gold.get(0));
		// Gold is asked for the range up to the oldest hot window only, of this series.
		assertThat(this.requests).singleElement()
			.satisfies((request) -> assertThat(request).contains("/api/v1/history/sensors/s-1/aggregates?")
				.contains("to=" + NOW.minus(Duration.ofMinutes(5)))
				.contains("metric=temperature")
				.contains("kind=tumbling")
				.contains("size=PT1M"));
	}

	@Test
	void aRangeTheHotStoreCoversOrWithoutALowerBoundNeverAsksTheLakehouse() throws IOException {
		serve(500, "{}");
		this.store.upsert(minute("s-1", NOW.minus(Duration.ofMinutes(5)), 50));
		Series series = this.store.sensor("s-1").series().get(0);
		assertThat(history().startingIn(series, NOW.minus(Duration.ofMinutes(5)).toEpochMilli(), NOW.toEpochMilli()))
			.hasSize(1);
		assertThat(history().startingIn(series, Long.MIN_VALUE, NOW.toEpochMilli())).hasSize(1);
		assertThat(this.requests).isEmpty();
	}

	@Test
	void aRefusalIsTheCallersBadRangeAndALakehouseThatFailsIsUnavailable() throws IOException {
		this.store.upsert(minute("s-1", NOW.minus(Duration.ofMinutes(5)), 50));
		Series series = this.store.sensor("s-1").series().get(0);
		long from = NOW.minus(Duration.ofDays(90)).toEpochMilli();

		serve(400, "{\"detail\":\"The range is longer than P31D\"}");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> history().startingIn(series, from, NOW.toEpochMilli()))
			.withMessageContaining("longer than P31D")
			.satisfies((ex) -> assertThat(ex.status().value()).isEqualTo(400));
		stop();

		serve(503, "{\"detail\":\"not ready\"}");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> history().startingIn(series, from, NOW.toEpochMilli()))
			.satisfies((ex) -> assertThat(ex.status().value()).isEqualTo(503));
		int port = this.lakehouse.getAddress().getPort();
		stop();

		SeriesHistory gone = new SeriesHistory(new GoldHistoryClient(
				new HistoryProperties(URI.create("http://127.0.0.1:" + port), null, Duration.ofSeconds(2))));
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> gone.startingIn(series, from, NOW.toEpochMilli()))
			.withMessageContaining("did not answer")
			.satisfies((ex) -> assertThat(ex.status().value()).isEqualTo(503));
	}

	private SeriesHistory history() {
		return new SeriesHistory(new GoldHistoryClient(
				new HistoryProperties(URI.create("http://127.0.0.1:" + this.lakehouse.getAddress().getPort()), "mr_key",
						Duration.ofSeconds(5))));
	}

	private void serve(int status, String body) throws IOException {
		this.lakehouse = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.lakehouse.createContext("/", (exchange) -> {
			this.requests.add(exchange.getRequestURI().toString());
			assertThat(exchange.getRequestHeaders().getFirst("X-API-Key")).isEqualTo("mr_key");
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		this.lakehouse.start();
	}

	private static WindowAggregate minute(String sensor, Instant start, double value) {
		return new WindowAggregate(sensor, "temperature", AggregateWindow.tumbling(start, Duration.ofMinutes(1)), 1,
				value, value, value, value, 0.0, null, null, null, value, value, true, 0, WindowAggregate.ON_TIME,
				start.plusSeconds(90));
	}

}
