package io.millrace.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.ServiceProcess;
import io.millrace.local.TopicClient;
import io.millrace.local.WebhookReceiver;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole platform as a user runs it: a real Kafka broker (KRaft, in this JVM), the
 * five services as separate JVMs started from their executable jars, and a real HTTP
 * receiver for the alert webhook. Events go in over HTTP; the test reads the aggregate
 * back from serving-api and the alert from the webhook and from alerting-service's API,
 * every API call with the key, and sees lakehouse-service commit the events and the final
 * window to its Delta tables.
 */
@ExtendWith(RunningPlatform.Resolver.class)
class PlatformEndToEndIntegrationTests {

	static final Path REPOSITORY = RunningPlatform.REPOSITORY;

	static final Path LOGS = RunningPlatform.LOGS;

	static KafkaKraftBroker broker;

	static WebhookReceiver receiver;

	static Map<String, ServiceProcess> services;

	/** lakehouse-service's tables, fresh for the fresh broker. */
	static Path lakehouseRoot;

	static String API_KEY;

	static RunningPlatform platform;

	/** Labels Prometheus adds to every scraped series. */
	static final Set<String> TARGET_LABELS = Set.of("instance", "job");

	/** Series Prometheus makes itself, not the services. */
	static final Set<String> PROMETHEUS_MADE = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
			"ALERTS", "ALERTS_FOR_STATE");

	/**
	 * The platform every end-to-end class shares (started by the first, stopped after the
	 * last).
	 */
	@BeforeAll
	static void startPlatform(RunningPlatform running) {
		platform = running;
		broker = platform.broker;
		receiver = platform.receiver;
		services = platform.services;
		lakehouseRoot = platform.lakehouseRoot;
		API_KEY = platform.apiKey;
	}

	@Test
	void aBreachingReadingBecomesAServedAggregateAndAnAlertWebhook() throws Exception {
		String sensor = "e2e-pump-" + UUID.randomUUID();
		Instant minute = platform.nextEventTimeSlot();
		String batch = "[" + event(sensor, minute.plusSeconds(5), 91) + "," + event(sensor, minute.plusSeconds(20), 85)
				+ "]";
		HttpResponse<String> accepted = post(batch);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		assertThat(MillraceJson.mapper().readTree(accepted.body()).get("accepted").asInt()).isEqualTo(2);
		// A later reading of the same sensor moves event time past the window's end.
		assertThat(post(event(sensor, minute.plusSeconds(130), 60)).statusCode()).isEqualTo(202);

		String aggregates = "/api/v1/sensors/" + sensor + "/aggregates?metric=temperature";
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> get("serving-api", aggregates).statusCode() == 200);
		JsonNode served = MillraceJson.mapper().readTree(get("serving-api", aggregates).body()).get("aggregates");
		assertThat(served).isNotEmpty();
		JsonNode window = served.get(0);
		assertThat(window.get("window").get("start").asText()).isEqualTo(minute.toString());
		assertThat(window.get("count").asLong()).isEqualTo(2);
		assertThat(window.get("max").asDouble()).isEqualTo(91.0);
		assertThat(window.get("min").asDouble()).isEqualTo(85.0);
		assertThat(window.get("final").asBoolean()).isTrue();

		await().atMost(Duration.ofSeconds(60)).until(() -> !alertsFor(sensor).isEmpty());
		AlertEvent alert = alertsFor(sensor).get(0);
		assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
		assertThat(alert.metric()).isEqualTo("temperature");
		assertThat(alert.value()).isEqualTo(91.0);
		assertThat(alert.window().start()).isEqualTo(minute);
		HttpResponse<String> firing = get("alerting-service", "/api/v1/alerts");
		assertThat(firing.statusCode()).isEqualTo(200);
		assertThat(firing.body()).contains(alert.fingerprint());
	}

	/**
	 * lakehouse-service, run as the launcher runs it, commits what ingest accepted to
	 * Bronze and the closed window to Gold: its row counters grow by at least what this
	 * test sent, and each table's directory holds a Delta log with a commit adding a
	 * Parquet file. (Exactly-once and the rows' contents are lakehouse-service's own
	 * tests.)
	 */
	@Test
	void acceptedEventsReachBronzeAndTheFinalWindowReachesGold() throws Exception {
		ServiceProcess lakehouse = services.get("lakehouse-service");
		double bronzeBefore = rowsWritten(lakehouse, "telemetry_events");
		double goldBefore = rowsWritten(lakehouse, "window_aggregates");
		String sensor = "e2e-lakehouse-" + UUID.randomUUID();
		Instant minute = platform.nextEventTimeSlot();
		assertThat(post(
				"[" + event(sensor, minute.plusSeconds(5), 20) + "," + event(sensor, minute.plusSeconds(25), 21) + "]")
			.statusCode()).isEqualTo(202);
		// Moves event time past the window's end, so processing emits the final.
		assertThat(post(event(sensor, minute.plusSeconds(130), 22)).statusCode()).isEqualTo(202);

		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(rowsWritten(lakehouse, "telemetry_events")).as("Bronze rows written")
				.isGreaterThanOrEqualTo(bronzeBefore + 3));
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(rowsWritten(lakehouse, "window_aggregates")).as("Gold rows written")
				.isGreaterThan(goldBefore));
		for (String table : List.of("bronze/telemetry_events", "gold/window_aggregates")) {
			Path log = lakehouseRoot.resolve(table).resolve("_delta_log");
			assertThat(log).as(table).isDirectory();
			try (var commits = Files.list(log)) {
				assertThat(commits.filter((file) -> file.toString().endsWith(".json")).anyMatch((file) -> {
					try {
						return Files.readString(file).contains("\"add\"");
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				})).as(table + ": a commit adding a data file").isTrue();
			}
		}
	}

	@Test
	void aSeriesQueryOlderThanTheHotStoreIsAnsweredFromGoldAndTheHotStoreTogether() throws Exception {
		String sensor = "e2e-history-" + UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
		Instant old = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(3));
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			// The recent window first: serving-api's retention counts back from the
			// newest
			// window it has seen, so the old ones are past it and never enter the hot
			// store; the lakehouse writes every final to Gold.
			topics.send(Topics.TELEMETRY_AGGREGATES, sensor,
					MillraceJson.bytes(finalMinute(sensor, now.minusSeconds(120), 42)));
			for (int minute = 0; minute < 30; minute++) {
				topics.send(Topics.TELEMETRY_AGGREGATES, sensor,
						MillraceJson.bytes(finalMinute(sensor, old.plus(Duration.ofMinutes(minute)), minute)));
			}
		}
		String oldRange = "from=" + old + "&to=" + old.plus(Duration.ofHours(1));
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(MillraceJson.mapper()
				.readTree(get("lakehouse-service", "/api/v1/history/sensors/" + sensor + "/aggregates?" + oldRange)
					.body())
				.path("windows")).as("the old finals in Gold").hasSize(30));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(MillraceJson.mapper()
				.readTree(get("serving-api", "/api/v1/sensors/" + sensor).body())
				.at("/series/0/windows")
				.asInt()).as("the hot store holds the recent window only").isEqualTo(1));

		JsonNode answer = MillraceJson.mapper()
			.readTree(get("serving-api", "/api/v1/sensors/" + sensor + "/aggregates?metric=temperature&from="
					+ old.minus(Duration.ofHours(1)) + "&to=" + now + "&limit=100")
				.body());
		List<JsonNode> windows = new ArrayList<>();
		answer.path("aggregates").forEach(windows::add);
		assertThat(windows).hasSize(31);
		assertThat(windows).extracting((w) -> Instant.parse(w.at("/window/start").asText()))
			.isSorted()
			.startsWith(old)
			.endsWith(now.minusSeconds(120));
		assertThat(windows.get(7).path("sum").asDouble()).isEqualTo(7);
		assertThat(windows.get(30).path("sum").asDouble()).isEqualTo(42);
		assertThat(windows).allSatisfy((w) -> assertThat(w.path("final").asBoolean()).isTrue());

		// Rolled up across both sources: 30 one-minute windows of Gold in one 1-hour bin.
		JsonNode bins = MillraceJson.mapper()
			.readTree(get("serving-api",
					"/api/v1/sensors/" + sensor + "/aggregates?metric=temperature&bin=PT1H&" + oldRange)
				.body());
		assertThat(bins.path("bins")).hasSize(1);
		assertThat(bins.at("/bins/0/count").asLong()).isEqualTo(30);
	}

	@Test
	void everyApiRefusesACallWithoutTheKey() {
		Map<String, HttpResponse<String>> withoutKey = Map.of("ingest-service",
				LocalHttp.post(services.get("ingest-service").apiUrl() + "/api/v1/events", "application/json", "{}"),
				"serving-api", LocalHttp.get(services.get("serving-api").apiUrl() + "/api/v1/sensors"),
				"alerting-service", LocalHttp.get(services.get("alerting-service").apiUrl() + "/api/v1/alerts"));
		withoutKey.forEach((name, refused) -> {
			assertThat(refused.statusCode()).as(name).isEqualTo(401);
			assertThat(refused.headers().firstValue("WWW-Authenticate")).as(name)
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("ApiKey realm="));
			assertThat(refused.body()).as(name).contains("https://millrace.io/problems/unauthorized");
		});
		assertThat(get("serving-api", "/api/v1/sensors").statusCode()).isEqualTo(200);
		assertThat(get("alerting-service", "/api/v1/rules").statusCode()).isEqualTo(200);
	}

	@Test
	void anInvalidEventIsRejectedWithAProblemNamingTheField() throws Exception {
		HttpResponse<String> rejected = post("{\"sensorId\": \"e2e\", \"value\": 1}");
		assertThat(rejected.statusCode()).isEqualTo(400);
		assertThat(rejected.body()).contains("/timestamp");
	}

	@Test
	void everyServiceIsLiveReadyAndExportsItsOwnMetrics() throws Exception {
		for (ServiceProcess service : services.values()) {
			assertThat(management(service, "/actuator/health/liveness").statusCode()).as(service.name()).isEqualTo(200);
			HttpResponse<String> readiness = management(service, "/actuator/health/readiness");
			assertThat(readiness.statusCode()).as(service.name()).isEqualTo(200);
			assertThat(readiness.body()).as(service.name()).contains("\"broker\"");
			assertThat(management(service, "/actuator/prometheus").body()).as(service.name()).contains("millrace_");
		}
	}

	/**
	 * Every metric the Grafana dashboard and the Prometheus alert rules query, and every
	 * metric docs/operations.md lists, is exported by a running service with the label
	 * values they select or list, so that no panel stays empty and no alert waits for a
	 * series that never comes. Counters operators alert on are registered at 0; the rest
	 * appear once a breaching reading has gone all the way through (sent here, in case
	 * this test runs first).
	 */
	@Test
	void everyMetricTheDashboardAndTheAlertRulesQueryIsExported() throws Exception {
		List<MonitoringQueries.Query> queries = new ArrayList<>(
				MonitoringQueries.dashboard(REPOSITORY.resolve("helm/millrace/dashboards/millrace-overview.json")));
		queries.addAll(MonitoringQueries.rules(REPOSITORY.resolve("helm/millrace/alerts/millrace.rules.yml")));
		assertThat(queries).as("queries of the dashboard and the rules").hasSizeGreaterThan(40);
		List<MonitoringQueries.Query> documented = MonitoringQueries
			.documented(REPOSITORY.resolve("docs/operations.md"));
		assertThat(documented).as("metrics of docs/operations.md").hasSizeGreaterThan(30);
		queries.addAll(documented);

		String sensor = "e2e-metrics-" + UUID.randomUUID();
		Instant minute = platform.nextEventTimeSlot();
		assertThat(post(event(sensor, minute.plusSeconds(5), 95)).statusCode()).isEqualTo(202);
		assertThat(post(event(sensor, minute.plusSeconds(130), 60)).statusCode()).isEqualTo(202);

		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			Map<String, PrometheusScrape> scrapes = new LinkedHashMap<>();
			for (ServiceProcess service : services.values()) {
				String text = management(service, "/actuator/prometheus").body();
				Files.createDirectories(LOGS);
				Files.writeString(LOGS.resolve(service.name() + ".prometheus.txt"), text);
				scrapes.put(service.name(), new PrometheusScrape(text));
			}
			Map<String, Set<String>> missing = new TreeMap<>();
			for (MonitoringQueries.Query query : queries) {
				for (PromQl.Selector selector : PromQl.selectors(query.expression())) {
					if (PROMETHEUS_MADE.contains(selector.metric())) {
						continue;
					}
					List<String> wanted = new ArrayList<>();
					if (scrapes.values().stream().noneMatch((scrape) -> scrape.has(selector.metric()))) {
						wanted.add(selector.metric());
					}
					else {
						for (PromQl.Label label : selector.labels()) {
							if (!TARGET_LABELS.contains(label.name()) && scrapes.values()
								.stream()
								.noneMatch((scrape) -> scrape.has(selector.metric(), label.name(), label.value()))) {
								wanted.add(selector.metric() + "{" + label + "}");
							}
						}
						if (query.label() != null && !TARGET_LABELS.contains(query.label())
								&& scrapes.values()
									.stream()
									.noneMatch((scrape) -> scrape.hasLabel(selector.metric(), query.label()))) {
							wanted.add(selector.metric() + " with label " + query.label());
						}
					}
					wanted.forEach(
							(name) -> missing.computeIfAbsent(name, (key) -> new LinkedHashSet<>()).add(query.where()));
				}
			}
			StringBuilder report = new StringBuilder("Series queried but exported by no service (scrapes in ")
				.append(LOGS.toAbsolutePath())
				.append("):");
			missing.forEach((name, where) -> report.append("\n  ").append(name).append("  used by ").append(where));
			assertThat(missing).as(report.toString()).isEmpty();
		});
	}

	/**
	 * The service's counter of rows committed to one table, from its Prometheus scrape.
	 */
	static double rowsWritten(ServiceProcess lakehouse, String table) {
		String prefix = "millrace_lakehouse_rows_written_total{";
		return management(lakehouse, "/actuator/prometheus").body()
			.lines()
			.filter((line) -> line.startsWith(prefix) && line.contains("table=\"" + table + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private static WindowAggregate finalMinute(String sensor, Instant start, double value) {
		return new WindowAggregate(sensor, "temperature", AggregateWindow.tumbling(start, Duration.ofMinutes(1)), 1,
				value, value, value, value, 0.0, null, null, null, value, value, true, 0, WindowAggregate.ON_TIME,
				start.plusSeconds(90));
	}

	private static String event(String sensor, Instant timestamp, double temperature) {
		return "{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"" + timestamp
				+ "\", \"measurements\": {\"temperature\": " + temperature + "}}";
	}

	private static List<AlertEvent> alertsFor(String sensor) {
		return receiver.received().stream().map((body) -> {
			try {
				return MillraceJson.mapper().readValue(body, AlertEvent.class);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).filter((alert) -> sensor.equals(alert.sensorId())).toList();
	}

	private static HttpResponse<String> post(String body) {
		return LocalHttp.post(services.get("ingest-service").apiUrl() + "/api/v1/events", "application/json", body,
				Map.of("X-API-Key", API_KEY));
	}

	private static HttpResponse<String> get(String service, String path) {
		return LocalHttp.get(services.get(service).apiUrl() + path, Map.of("X-API-Key", API_KEY));
	}

	private static HttpResponse<String> management(ServiceProcess service, String path) {
		return LocalHttp.get(service.managementUrl() + path);
	}

}
