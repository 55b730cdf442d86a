package io.millrace.serving.dashboard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.model.json.MillraceJson;
import io.millrace.security.ApiKeyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a browser fetches it (page, modules, the charting library's WebJar,
 * favicon) without a key, while its data ({@code /api/v1/**}) needs one; and the vital
 * signs from real HTTP Prometheus endpoints: one that counts up like ingest-service,
 * processing's and alerting's gauges, and one source that does not answer.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.serving.vitals.interval=200ms" })
class DashboardIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final String READER = "mr_dashboard-reader";

	/** ingest's accepted counter: 100 more at every scrape. */
	static final AtomicLong accepted = new AtomicLong();

	static final HttpServer services = startServices();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		ApiKeyFixture.register(registry, 0, "dashboard-reader", READER, "read");
		String base = "http://127.0.0.1:" + services.getAddress().getPort();
		registry.add("millrace.serving.vitals.sources.ingest", () -> base + "/ingest");
		registry.add("millrace.serving.vitals.sources.processing", () -> base + "/processing");
		registry.add("millrace.serving.vitals.sources.alerting", () -> base + "/alerting");
		// Nothing listens on port 9 (discard) on loopback here.
		registry.add("millrace.serving.vitals.sources.lakehouse", () -> "http://127.0.0.1:9/actuator/prometheus");
	}

	@AfterAll
	static void stop(@Autowired ConfigurableApplicationContext application) {
		application.stop();
		services.stop(0);
		broker.close();
	}

	@Test
	void thePageItsModulesTheChartLibraryAndTheIconNeedNoKey() {
		HttpResponse<String> page = LocalHttp.get(url("/"));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<title>Millrace live dashboard</title>")
			.contains("/webjars/uplot/dist/uPlot.min.css")
			.contains("/dashboard/main.js");
		assertThat(page.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("script-src 'self'")
				.contains("connect-src 'self'")
				.contains("frame-ancestors 'none'"));
		assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		for (String module : new String[] { "/dashboard/main.js", "/dashboard/api.js", "/dashboard/charts.js",
				"/dashboard/format.js" }) {
			HttpResponse<String> script = LocalHttp.get(url(module));
			assertThat(script.statusCode()).as(module).isEqualTo(200);
			// Browsers run modules only with a JavaScript media type.
			assertThat(script.headers().firstValue("Content-Type")).as(module)
				.hasValueSatisfying((type) -> assertThat(type).contains("javascript"));
		}
		HttpResponse<String> uplot = LocalHttp.get(url("/webjars/uplot/dist/uPlot.esm.js"));
		assertThat(uplot.statusCode()).isEqualTo(200);
		assertThat(uplot.body()).contains("export { uPlot as default }");
		assertThat(LocalHttp.get(url("/webjars/uplot/dist/uPlot.min.css")).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get(url("/dashboard/dashboard.css")).statusCode()).isEqualTo(200);
		assertThat(LocalHttp.get(url("/favicon.svg")).statusCode()).isEqualTo(200);
	}

	@Test
	void theDataBehindThePageNeedsTheKey() {
		for (String path : new String[] { "/api/v1/vitals", "/api/v1/sensors", "/api/v1/top?metric=temperature" }) {
			HttpResponse<String> refused = LocalHttp.get(url(path));
			assertThat(refused.statusCode()).as(path).isEqualTo(401);
			assertThat(refused.body()).as(path).contains("https://millrace.io/problems/unauthorized");
		}
		// Only the page's own files are open, not whatever sits next to them.
		assertThat(LocalHttp.get(url("/actuator/prometheus")).statusCode()).isIn(401, 404);
	}

	@Test
	void vitalSignsComeFromTheServicesPrometheusEndpoints() throws Exception {
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			JsonNode vitals = vitals();
			assertThat(vitals.at("/ingestRate/state").asText()).isEqualTo("ok");
			assertThat(vitals.at("/ingestRate/value").asDouble()).isPositive();
		});
		JsonNode vitals = vitals();
		assertThat(vitals.at("/ingestRate/unit").asText()).isEqualTo("events/s");
		assertThat(vitals.at("/watermarkLag/state").asText()).isEqualTo("ok");
		assertThat(vitals.at("/watermarkLag/value").asDouble()).isEqualTo(2.5);
		assertThat(vitals.at("/webhookFailures/value").asDouble()).isEqualTo(3.0);
		// processing 12 + alerting 30; lakehouse does not answer.
		assertThat(vitals.at("/consumerLag/value").asDouble()).isEqualTo(42.0);
		assertThat(vitals.at("/consumerLag/detail").asText()).contains("lakehouse unavailable");
		assertThat(vitals.at("/observedAt").asText()).isNotBlank();
	}

	private JsonNode vitals() throws IOException {
		HttpResponse<String> answer = LocalHttp.get(url("/api/v1/vitals"), Map.of("X-API-Key", READER));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return MillraceJson.mapper().readTree(answer.body());
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private static HttpServer startServices() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			serve(server, "/ingest", () -> """
					# TYPE millrace_ingest_events_accepted_total counter
					millrace_ingest_events_accepted_total{application="ingest-service"} %d.0
					""".formatted(accepted.addAndGet(100)));
			serve(server, "/processing", () -> """
					millrace_processing_watermark_lag_seconds{application="processing-service"} 2.5
					spring_cloud_stream_binder_kafka_offset{group="processing",partition="0",topic="telemetry-raw"} 12.0
					""");
			serve(server, "/alerting", () -> """
					millrace_alerting_webhook_deliveries_total{outcome="delivered"} 10.0
					millrace_alerting_webhook_deliveries_total{outcome="failed"} 3.0
					spring_cloud_stream_binder_kafka_offset{group="alerting",partition="0",topic="alerts"} 30.0
					""");
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void serve(HttpServer server, String path, java.util.function.Supplier<String> body) {
		server.createContext(path, (exchange) -> {
			try (exchange) {
				byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/plain;version=0.0.4;charset=utf-8");
				exchange.sendResponseHeaders(200, bytes.length);
				exchange.getResponseBody().write(bytes);
			}
		});
	}

}
