package io.millrace.ingest;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.millrace.local.RestartableBroker;
import io.millrace.local.LocalHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the broker down, ingest answers {@code 503} with {@code Retry-After}, never
 * {@code 202}; once the broker is back, the same request is accepted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0",
		"millrace.ingest.max-bytes-per-request=1KB", "millrace.ingest.max-in-flight-bytes=1500B" })
class IngestBrokerOutageIntegrationTests {

	static final RestartableBroker broker = new RestartableBroker();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		String servers = broker.bootstrapServers();
		registry.add("spring.cloud.stream.kafka.binder.brokers", () -> servers);
		TestApiKeys.register(registry);
	}

	@AfterAll
	static void stopBroker() {
		broker.stop();
	}

	@Test
	void answers503WithRetryAfterWhileTheBrokerIsDownAnd202OnceItIsBack() throws Exception {
		assertThat(post().statusCode()).isEqualTo(202);

		broker.stop();
		long started = System.nanoTime();
		HttpResponse<String> down = post();
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(down.body()).contains("https://millrace.io/problems/broker-unavailable");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

		// Requests waiting for the broker hold their bytes: past the bound, 429 at once.
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(clients.submit(() -> post(BIG)));
			}
			List<HttpResponse<String>> responses = new ArrayList<>();
			for (Future<HttpResponse<String>> answer : answers) {
				responses.add(answer.get(60, TimeUnit.SECONDS));
			}
			assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(429, 503).contains(429, 503);
			HttpResponse<String> busy = responses.stream()
				.filter((response) -> response.statusCode() == 429)
				.findFirst()
				.orElseThrow();
			assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
			assertThat(busy.body()).contains("https://millrace.io/problems/too-busy");
		}
		finally {
			clients.shutdownNow();
		}

		broker.restart();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		int status = 0;
		while (status != 202 && System.nanoTime() < deadline) {
			status = post().statusCode();
		}
		assertThat(status).isEqualTo(202);
	}

	/** About 700 bytes: two fit under the in-flight bound of this test. */
	private static final String BIG = "{\"sensorId\": \"outage-2\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\", "
			+ "\"tags\": {\"note\": \"" + "x".repeat(600) + "\"}}";

	private HttpResponse<String> post() {
		return post("{\"sensorId\": \"outage-1\", \"value\": 1, \"timestamp\": \"2026-02-05T10:00:00Z\"}");
	}

	private HttpResponse<String> post(String body) {
		return LocalHttp.post("http://127.0.0.1:" + this.port + "/api/v1/events", "application/json", body,
				TestApiKeys.WRITER_HEADER);
	}

}
