package io.millrace.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query API over HTTP against a real broker: the store is rebuilt from
 * {@code telemetry-aggregates} before readiness says UP, then sensors, series, bins,
 * top-N, problem details, ETags, CORS, OpenAPI and the live stream with resume.
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "millrace.serving.cors.allowed-origins=https://wall.example",
				"millrace.serving.live.heartbeat=1s", "millrace.serving.live.ticket-validity=3s" })
class ServingQueryIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final String READER = "mr_serving-query-reader";

	/**
	 * On the topic before the application starts: what it must have read before it is
	 * ready.
	 */
	static final int PUBLISHED_BEFORE_START = 3 * 120;

	/** Alerts on the topic before the application starts, each of its own series. */
	static final int ALERTS_BEFORE_START = 40;

	static {
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			for (int sensor = 0; sensor < 3; sensor++) {
				for (int minute = 0; minute < 120; minute++) {
					// an early result, then the final: the store converges to the final
					publish(topics,
							minute("rebuild-" + sensor, "temperature", minute, 60 + minute % 7 + sensor, false, 0));
					publish(topics, minute("rebuild-" + sensor, "temperature", minute, 60 + minute % 7 + sensor,
							minute < 118, 1));
				}
			}
			publishAlert(topics, alert("before-start", "rule-rebuilt", "rebuild-0", AlertStatus.FIRING, "warning",
					Instant.now().minusSeconds(120), null));
			for (int sensor = 0; sensor < ALERTS_BEFORE_START - 1; sensor++) {
				publishAlert(topics, alert("backlog-" + sensor, "rule-backlog", "backlog-" + sensor, AlertStatus.FIRING,
						"info", Instant.now().minusSeconds(300), null));
			}
		}
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		ApiKeyFixture.register(registry, 0, "test-reader", READER, "read");
	}

	@AfterAll
	static void stopBroker(@Autowired ConfigurableApplicationContext application) {
		// The application's clients stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		broker.close();
	}

	@Test
	void isReadyOnlyOnceTheStoreAndTheAlertBoardHoldWhatTheTopicsHeldAtStart() throws Exception {
		AtomicReference<String> firstReady = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
			HttpResponse<String> readiness = management("/actuator/health/readiness");
			if (readiness.statusCode() == 200) {
				firstReady.set(readiness.body());
				return true;
			}
			return false;
		});
		// The first answer that says UP already counts every window published before
		// start.
		JsonNode store = MillraceJson.mapper().readTree(firstReady.get()).at("/components/store");
		assertThat(store.get("status").asText()).isEqualTo("UP");
		assertThat(store.at("/details/windows").asLong()).isGreaterThanOrEqualTo(PUBLISHED_BEFORE_START);
		JsonNode alerts = MillraceJson.mapper().readTree(firstReady.get()).at("/components/alerts");
		assertThat(alerts.get("status").asText()).isEqualTo("UP");
		assertThat(alerts.at("/details/alerts").asLong()).isGreaterThanOrEqualTo(ALERTS_BEFORE_START);
		for (int sensor = 0; sensor < 3; sensor++) {
			JsonNode detail = get("/api/v1/sensors/rebuild-" + sensor);
			assertThat(detail.at("/series/0/windows").asInt()).isEqualTo(120);
			assertThat(detail.at("/series/0/size").asText()).isEqualTo("PT1M");
		}
		String metrics = management("/actuator/prometheus").body();
		assertThat(metrics).contains("millrace_serving_store_rebuilt{application=\"serving-api\"} 1.0",
				"millrace_serving_alerts_rebuilt{application=\"serving-api\"} 1.0", "millrace_serving_windows",
				"millrace_serving_evicted_total", "millrace_serving_live_streams");
	}

	@Test
	void listsSensorsByPagesWithTheirLatestValues() throws Exception {
		awaitRebuilt();
		JsonNode first = get("/api/v1/sensors?prefix=rebuild-&limit=2");
		assertThat(first.get("sensors")).extracting((sensor) -> sensor.get("sensorId").asText())
			.containsExactly("rebuild-0", "rebuild-1");
		JsonNode second = get("/api/v1/sensors?prefix=rebuild-&limit=2&cursor=" + first.get("next").asText());
		assertThat(second.get("sensors")).extracting((sensor) -> sensor.get("sensorId").asText())
			.containsExactly("rebuild-2");
		assertThat(second.has("next")).isFalse();
		JsonNode sensor = second.get("sensors").get(0);
		assertThat(sensor.get("lastSeen").asText()).isEqualTo(T0.plusSeconds(120 * 60).toString());
		// minute 119: max = 60 + 119 % 7 + 2 = 62, lastValue = max
		assertThat(sensor.at("/values/temperature").asDouble()).isEqualTo(62.0);
		assertThat(sensor.at("/latest/temperature/final").asBoolean()).isFalse();
		assertThat(get("/api/v1/sensors?prefix=rebuild-&seen-since=" + T0.plusSeconds(200 * 60)).get("sensors"))
			.isEmpty();
	}

	@Test
	void servesASeriesByPagesFinalsOnlyAndInBins() throws Exception {
		awaitRebuilt();
		String series = "/api/v1/sensors/rebuild-1/aggregates?metric=temperature&kind=tumbling&size=PT1M";
		List<JsonNode> all = new ArrayList<>();
		String next = null;
		do {
			JsonNode page = get(series + "&limit=50" + ((next != null) ? "&cursor=" + next : ""));
			page.get("aggregates").forEach(all::add);
			next = page.has("next") ? page.get("next").asText() : null;
		}
		while (next != null);
		assertThat(all).hasSize(120);
		assertThat(all).extracting((window) -> window.at("/window/start").asText()).isSorted().doesNotHaveDuplicates();
		assertThat(get(series + "&final-only=true&limit=1000").get("aggregates")).hasSize(118);
		JsonNode range = get(series + "&from=" + T0.plusSeconds(600) + "&to=" + T0.plusSeconds(900));
		assertThat(range.get("aggregates")).hasSize(5);

		JsonNode bins = get(series + "&bin=PT1H");
		assertThat(bins.get("bins")).hasSize(2);
		JsonNode hour = bins.get("bins").get(0);
		assertThat(hour.get("start").asText()).isEqualTo(T0.toString());
		assertThat(hour.get("windows").asInt()).isEqualTo(60);
		assertThat(hour.get("count").asLong()).isEqualTo(120);
		assertThat(hour.get("max").asDouble()).isEqualTo(67.0);
		assertThat(hour.get("min").asDouble()).isEqualTo(60.0);
		assertThat(hour.get("final").asBoolean()).isTrue();
		assertThat(hour.has("p95")).isFalse();
		assertThat(bins.get("bins").get(1).get("final").asBoolean()).isFalse();
	}

	@Test
	void ranksSensorsByAStatisticOverARange() throws Exception {
		awaitRebuilt();
		JsonNode top = get("/api/v1/top?metric=temperature&statistic=max&prefix=rebuild-&limit=2&from=" + T0);
		assertThat(top.get("sensors")).extracting((entry) -> entry.get("sensorId").asText())
			.containsExactly("rebuild-2", "rebuild-1");
		assertThat(top.at("/sensors/0/value").asDouble()).isEqualTo(68.0);
		assertThat(top.at("/sensors/0/rank").asInt()).isEqualTo(1);
		JsonNode coolest = get("/api/v1/top?metric=temperature&statistic=p95&order=asc&prefix=rebuild-&limit=1&from="
				+ T0 + "&to=" + T0.plusSeconds(3600));
		assertThat(coolest.at("/sensors/0/sensorId").asText()).isEqualTo("rebuild-0");
		assertThat(coolest.at("/sensors/0/windows").asInt()).isEqualTo(60);
	}

	@Test
	void refusesBadRequestsWithProblemDetailsNamingTheParameter() throws Exception {
		awaitRebuilt();
		assertProblem(raw("/api/v1/sensors/rebuild-0/aggregates?from=yesterday"), 400, "invalid-parameter", "from");
		assertProblem(raw("/api/v1/sensors?limit=0"), 400, "invalid-parameter", "limit");
		assertProblem(raw("/api/v1/sensors?cursor=nonsense"), 400, "invalid-parameter", "cursor");
		assertProblem(raw("/api/v1/sensors/rebuild-0/aggregates?metric=temperature&bin=PT90S"), 400,
				"invalid-parameter", "bin");
		assertProblem(raw("/api/v1/top?metric=temperature&statistic=median"), 400, "invalid-parameter", "statistic");
		assertProblem(raw("/api/v1/top"), 400, "invalid-parameter", "metric");
		assertProblem(raw("/api/v1/sensors/rebuild-0/aggregates?from=" + T0.plusSeconds(60) + "&to=" + T0), 400,
				"invalid-time-range", "from");
		assertProblem(raw("/api/v1/sensors/nobody"), 404, "unknown-sensor", null);
		// With the sensor registry, a tag filter is answered (501 tags-unavailable only
		// without it).
		assertProblem(raw("/api/v1/sensors?tag=site"), 400, "invalid-parameter", "tag");
		assertProblem(
				LocalHttp.get(url("/api/v1/stream"),
						Map.of("X-API-Key", READER, "Accept", "text/event-stream", "Last-Event-ID", "yesterday")),
				400, "invalid-parameter", "Last-Event-ID");
	}

	@Test
	void answersNotModifiedToAnUnchangedRead() throws Exception {
		awaitRebuilt();
		String path = "/api/v1/sensors/etag-1/aggregates?metric=temperature";
		publish(this.topics, minute("etag-1", "temperature", 0, 50, true, 0));
		await().atMost(Duration.ofSeconds(30)).until(() -> raw(path).statusCode() == 200);
		HttpResponse<String> first = raw(path);
		String etag = first.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> again = LocalHttp.get(url(path), Map.of("X-API-Key", READER, "If-None-Match", etag));
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		publish(this.topics, minute("etag-1", "temperature", 1, 51, true, 0));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> LocalHttp.get(url(path), Map.of("X-API-Key", READER, "If-None-Match", etag))
				.statusCode() == 200);
	}

	@Test
	void answersABrowsersPreflightForAConfiguredOrigin() throws Exception {
		HttpResponse<String> preflight = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/api/v1/sensors")))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", "https://wall.example")
				.header("Access-Control-Request-Method", "GET")
				.header("Access-Control-Request-Headers", "x-api-key")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://wall.example");
		HttpResponse<String> read = LocalHttp.get(url("/api/v1/sensors?limit=1"),
				Map.of("X-API-Key", READER, "Origin", "https://wall.example"));
		assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://wall.example");
		HttpResponse<String> stranger = LocalHttp.get(url("/api/v1/sensors?limit=1"),
				Map.of("X-API-Key", READER, "Origin", "https://elsewhere.example"));
		assertThat(stranger.statusCode()).isEqualTo(403);
	}

	@Test
	void publishesItsOpenApiDocumentAndSwaggerUi() throws Exception {
		HttpResponse<String> docs = LocalHttp.get(url("/v3/api-docs"));
		assertThat(docs.statusCode()).isEqualTo(200);
		JsonNode paths = MillraceJson.mapper().readTree(docs.body()).get("paths");
		assertThat(paths.has("/api/v1/sensors")).isTrue();
		assertThat(paths.has("/api/v1/sensors/{sensorId}")).isTrue();
		assertThat(paths.has("/api/v1/sensors/{sensorId}/aggregates")).isTrue();
		assertThat(paths.has("/api/v1/top")).isTrue();
		assertThat(paths.has("/api/v1/stream")).isTrue();
		assertThat(paths.has("/api/v1/stream/tickets")).isTrue();
		assertThat(paths.has("/api/v1/alerts")).isTrue();
		assertThat(paths.has("/api/v1/alerts/firing")).isTrue();
		assertThat(paths.has("/api/v1/sensors/{sensorId}/metadata")).isTrue();
		assertThat(paths.has("/api/v1/sensors/metadata:import")).isTrue();
		assertThat(LocalHttp.get(url("/swagger-ui/index.html")).statusCode()).isEqualTo(200);
	}

	@Test
	void streamsAggregatesLiveAndResumesAfterTheLastEventIdWithoutAGap() throws Exception {
		awaitRebuilt();
		assertThat(LocalHttp.get(url("/api/v1/stream")).statusCode()).isEqualTo(401);
		List<SseEvent> first = new ArrayList<>();
		try (SseStream stream = SseStream.open(url("/api/v1/stream?sensor=live-1&metric=temperature"), null)) {
			for (int minute = 0; minute < 3; minute++) {
				publish(this.topics, minute("live-1", "temperature", minute, minute, true, 0));
				publish(this.topics, minute("live-2", "temperature", minute, minute, true, 0));
			}
			for (int i = 0; i < 3; i++) {
				first.add(stream.next());
			}
		}
		assertThat(first).extracting(SseEvent::name).containsOnly("aggregate");
		assertThat(first).extracting((event) -> event.data().get("sensorId").asText()).containsOnly("live-1");
		assertThat(first).extracting((event) -> event.data().get("max").asDouble()).containsExactly(0.0, 1.0, 2.0);
		// Gone after the second event; more arrives meanwhile.
		for (int minute = 3; minute < 5; minute++) {
			publish(this.topics, minute("live-1", "temperature", minute, minute, true, 0));
		}
		try (SseStream resumed = SseStream.open(url("/api/v1/stream?sensor=live-1&metric=temperature"),
				first.get(1).id())) {
			List<SseEvent> rest = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				rest.add(resumed.next());
			}
			assertThat(rest).extracting((event) -> event.data().get("max").asDouble()).containsExactly(2.0, 3.0, 4.0);
			List<Long> sequences = Stream.concat(first.subList(0, 2).stream(), rest.stream())
				.map((event) -> Long.parseLong(event.id().substring(event.id().lastIndexOf('-') + 1)))
				.toList();
			assertThat(sequences).isSorted().doesNotHaveDuplicates();
		}
	}

	@Test
	void servesAlertsFromTheAlertsTopicAndStreamsThemLive() throws Exception {
		awaitRebuilt();
		// Read from the start of the topic: published before the application started.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get("/api/v1/alerts?rule=rule-rebuilt").get("alerts"))
				.extracting((alert) -> alert.get("alertId").asText())
				.containsExactly("before-start"));
		Instant started = Instant.now().minusSeconds(60);
		List<SseEvent> live = new ArrayList<>();
		try (SseStream stream = SseStream.open(url("/api/v1/stream?include=aggregates,alerts&sensor=alarm-1"), null)) {
			publishAlert(this.topics,
					alert("hot-1", "rule-hot", "alarm-1", AlertStatus.FIRING, "critical", started, null));
			publishAlert(this.topics,
					alert("hot-2", "rule-hot", "alarm-2", AlertStatus.FIRING, "warning", started, null));
			publishAlert(this.topics, alert("hot-1-resolved", "rule-hot", "alarm-1", AlertStatus.RESOLVED, "critical",
					started, Instant.now()));
			publish(this.topics, minute("alarm-1", "temperature", 0, 99, true, 0));
			for (int i = 0; i < 3; i++) {
				live.add(stream.next());
			}
		}
		// Alerts and aggregates each come in order; which of the two comes first is not
		// fixed.
		assertThat(live).filteredOn((event) -> event.name().equals("alert"))
			.extracting((event) -> event.data().get("alertId").asText())
			.containsExactly("hot-1", "hot-1-resolved");
		assertThat(live).filteredOn((event) -> event.name().equals("aggregate"))
			.singleElement()
			.satisfies((event) -> assertThat(event.data().get("sensorId").asText()).isEqualTo("alarm-1"));
		SseEvent firing = live.stream().filter((event) -> event.name().equals("alert")).findFirst().orElseThrow();
		assertThat(firing.id()).matches("[0-9a-z]+-[0-9]+-[0-9]+");
		assertThat(firing.data().get("status").asText()).isEqualTo("firing");
		assertThat(firing.data().get("fingerprint").asText()).isEqualTo("rule-hot/alarm-1/temperature");

		// Resuming after the first alert sends what came after it, and only that.
		try (SseStream resumed = SseStream.open(url("/api/v1/stream?include=alerts&sensor=alarm-1"), firing.id())) {
			SseEvent next = resumed.next();
			assertThat(next.name()).isEqualTo("alert");
			assertThat(next.data().get("alertId").asText()).isEqualTo("hot-1-resolved");
		}

		// The board: the newest event per alert.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get("/api/v1/alerts?rule=rule-hot").get("alerts"))
				.extracting((alert) -> alert.get("alertId").asText())
				.containsExactly("hot-1-resolved", "hot-2"));
		assertThat(get("/api/v1/alerts?state=firing&rule=rule-hot").get("alerts"))
			.extracting((alert) -> alert.get("sensorId").asText())
			.containsExactly("alarm-2");
		assertThat(get("/api/v1/alerts/firing?rule=rule-hot&severity=WARNING").get("alerts")).hasSize(1);
		assertThat(get("/api/v1/alerts/firing?rule=rule-hot&severity=critical").get("alerts")).isEmpty();
		assertThat(get("/api/v1/alerts?state=resolved&sensor=alarm-1").get("alerts"))
			.extracting((alert) -> alert.get("alertId").asText())
			.containsExactly("hot-1-resolved");
		// The recent list: every change, newest first.
		assertThat(get("/api/v1/alerts/events?rule=rule-hot").get("alerts"))
			.extracting((alert) -> alert.get("alertId").asText())
			.containsExactly("hot-1-resolved", "hot-2", "hot-1");
		assertThat(get("/api/v1/alerts/events?rule=rule-hot&limit=1").get("alerts")).hasSize(1);

		HttpResponse<String> read = raw("/api/v1/alerts?rule=rule-hot");
		String etag = read.headers().firstValue("ETag").orElseThrow();
		assertThat(
				LocalHttp.get(url("/api/v1/alerts?rule=rule-hot"), Map.of("X-API-Key", READER, "If-None-Match", etag))
					.statusCode())
			.isEqualTo(304);
		assertProblem(raw("/api/v1/alerts?state=burning"), 400, "invalid-parameter", "state");
		assertProblem(raw("/api/v1/alerts?limit=0"), 400, "invalid-parameter", "limit");
		assertProblem(
				LocalHttp.get(url("/api/v1/stream?include=everything"),
						Map.of("X-API-Key", READER, "Accept", "text/event-stream")),
				400, "invalid-parameter", "include");
		assertThat(LocalHttp.get(url("/api/v1/alerts")).statusCode()).isEqualTo(401);
	}

	@Test
	void opensTheStreamForABrowserWithASingleUseTicketNeverWithAKeyInTheQuery() throws Exception {
		awaitRebuilt();
		assertThat(
				LocalHttp.get(url("/api/v1/stream?include=alerts"), Map.of("Accept", "text/event-stream")).statusCode())
			.isEqualTo(401);
		// API keys are never accepted in the query string.
		assertThat(LocalHttp
			.get(url("/api/v1/stream?X-API-Key=" + READER + "&api-key=" + READER),
					Map.of("Accept", "text/event-stream"))
			.statusCode()).isEqualTo(401);
		assertThat(LocalHttp.post(url("/api/v1/stream/tickets"), "application/json", "").statusCode()).isEqualTo(401);

		JsonNode issued = ticket();
		String ticket = issued.get("ticket").asText();
		assertThat(ticket).hasSizeGreaterThanOrEqualTo(40);
		assertThat(Instant.parse(issued.get("expiresAt").asText())).isAfter(Instant.now())
			.isBefore(Instant.now().plusSeconds(4));
		try (SseStream stream = SseStream
			.open(url("/api/v1/stream?include=aggregates,alerts&sensor=ticket-1&ticket=" + ticket), null, Map.of())) {
			publish(this.topics, minute("ticket-1", "temperature", 0, 7, true, 0));
			SseEvent event = stream.next();
			assertThat(event.name()).isEqualTo("aggregate");
			assertThat(event.data().get("sensorId").asText()).isEqualTo("ticket-1");
		}
		HttpResponse<String> reused = LocalHttp.get(url("/api/v1/stream?ticket=" + ticket),
				Map.of("Accept", "text/event-stream"));
		assertThat(reused.statusCode()).isEqualTo(401);
		assertThat(reused.body()).contains("https://millrace.io/problems/unauthorized", "invalid-ticket")
			.doesNotContain(ticket);
		assertThat(
				LocalHttp.get(url("/api/v1/stream?ticket=made-up"), Map.of("Accept", "text/event-stream")).statusCode())
			.isEqualTo(401);
		// A ticket opens the stream only, nothing else.
		String another = ticket().get("ticket").asText();
		assertThat(LocalHttp.get(url("/api/v1/alerts?ticket=" + another)).statusCode()).isEqualTo(401);

		String expiring = ticket().get("ticket").asText();
		Thread.sleep(3500);
		assertThat(LocalHttp.get(url("/api/v1/stream?ticket=" + expiring), Map.of("Accept", "text/event-stream"))
			.statusCode()).isEqualTo(401);
	}

	private JsonNode ticket() throws IOException {
		HttpResponse<String> response = LocalHttp.post(url("/api/v1/stream/tickets"), "application/json", "",
				Map.of("X-API-Key", READER));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		return MillraceJson.mapper().readTree(response.body());
	}

	private static AlertEvent alert(String alertId, String ruleId, String sensorId, AlertStatus status, String severity,
			Instant startsAt, Instant endsAt) {
		return new AlertEvent(alertId, ruleId, ruleId + "/" + sensorId + "/temperature", status, severity, sensorId,
				"temperature", 95, 90, null, startsAt, endsAt, Map.of("rule", ruleId), Map.of("summary", "too hot"));
	}

	private static void publishAlert(TopicClient topics, AlertEvent alert) {
		try {
			topics.send(Topics.ALERTS, alert.sensorId(), MillraceJson.mapper().writeValueAsBytes(alert));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void awaitRebuilt() {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> management("/actuator/health/readiness").statusCode() == 200);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type, String parameter)
			throws IOException {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = MillraceJson.mapper().readTree(response.body());
		assertThat(problem.get("type").asText()).isEqualTo("https://millrace.io/problems/" + type);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		if (parameter != null) {
			assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
			assertThat(problem.get("detail").asText()).contains(parameter);
		}
	}

	private static void publish(TopicClient topics, WindowAggregate aggregate) {
		try {
			topics.send(Topics.TELEMETRY_AGGREGATES, aggregate.sensorId(),
					MillraceJson.mapper().writeValueAsBytes(aggregate));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode get(String path) throws IOException {
		HttpResponse<String> response = raw(path);
		assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
		return MillraceJson.mapper().readTree(response.body());
	}

	private HttpResponse<String> raw(String path) {
		return LocalHttp.get(url(path), Map.of("X-API-Key", READER));
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private HttpResponse<String> management(String path) {
		return LocalHttp.get("http://127.0.0.1:" + this.managementPort + path);
	}

	record SseEvent(String id, String name, JsonNode data) {
	}

	/** A real Server-Sent Events client over java.net.http. */
	static final class SseStream implements AutoCloseable {

		private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();

		private final Stream<String> lines;

		private SseStream(Stream<String> lines) {
			this.lines = lines;
			Thread reader = new Thread(() -> {
				String id = null;
				String name = null;
				StringBuilder data = new StringBuilder();
				try {
					for (String line : (Iterable<String>) lines::iterator) {
						if (line.isEmpty()) {
							if (data.length() > 0) {
								this.events
									.add(new SseEvent(id, name, MillraceJson.mapper().readTree(data.toString())));
							}
							id = null;
							name = null;
							data.setLength(0);
						}
						else if (line.startsWith("id:")) {
							id = line.substring(3).trim();
						}
						else if (line.startsWith("event:")) {
							name = line.substring(6).trim();
						}
						else if (line.startsWith("data:")) {
							data.append(line.substring(5));
						}
					}
				}
				catch (Exception ex) {
					// closed
				}
			}, "sse-test-reader");
			reader.setDaemon(true);
			reader.start();
		}

		static SseStream open(String url, String lastEventId) throws Exception {
			return open(url, lastEventId, Map.of("X-API-Key", READER));
		}

		static SseStream open(String url, String lastEventId, Map<String, String> headers) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
			headers.forEach(request::header);
			if (lastEventId != null) {
				request.header("Last-Event-ID", lastEventId);
			}
			HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
				.send(request.build(), HttpResponse.BodyHandlers.ofLines());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
			assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
			return new SseStream(response.body());
		}

		SseEvent next() throws InterruptedException {
			SseEvent event = this.events.poll(30, TimeUnit.SECONDS);
			assertThat(event).as("an event within 30 s").isNotNull();
			return event;
		}

		@Override
		public void close() {
			this.lines.close();
		}

	}

}
