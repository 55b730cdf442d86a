package io.millrace.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.millrace.alerting.SignedRequestReceiver.Received;
import io.millrace.alerting.catalog.StoredCatalog;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;
import io.millrace.local.TopicClient;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import io.millrace.security.ApiKeyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rules, silences and subscriptions APIs over real HTTP, stored in a real directory,
 * with a real broker and a real webhook receiver: what a client does, from creating a
 * subscription and a rule to verifying the signed notification with the secret it was
 * shown once.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class AlertingApiIntegrationTests {

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final SignedRequestReceiver receiver = SignedRequestReceiver.start();

	static final String ADMIN = "mr_api-test-admin";

	static final String READER = "mr_api-test-reader";

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	@LocalServerPort
	int port;

	@Autowired
	StoredCatalog catalog;

	ApiClient api;

	final TopicClient topics = new TopicClient(broker.bootstrapServers());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		registry.add("millrace.alerting.delivery.allow-http", () -> "true");
		registry.add("millrace.alerting.delivery.allow-list", () -> "127.0.0.1");
		registry.add("millrace.alerting.checkpoint.directory", AlertingApiIntegrationTests::temporaryDirectory);
		registry.add("millrace.runtime.tick-interval", () -> "200ms");
		// A subscription from configuration: listed read-only. It filters out every
		// alert.
		registry.add("millrace.alerting.subscriptions[0].id", () -> "ops-configured");
		registry.add("millrace.alerting.subscriptions[0].url", () -> "https://hooks.example.com/ops");
		registry.add("millrace.alerting.subscriptions[0].filters.rules", () -> "no-such-rule");
		ApiKeyFixture.register(registry, 0, "operator", ADMIN, "admin");
		ApiKeyFixture.register(registry, 1, "viewer", READER, "read");
	}

	/** Names this test controls: nothing is resolved by DNS, nothing sent to them. */
	@TestConfiguration
	static class ControlledNames {

		@Bean
		@Primary
		Resolver testResolver() {
			return (host) -> switch (host) {
				case "localhost" -> List.of(address("127.0.0.1"), address("::1"));
				case "hooks.internal.test" -> List.of(address("10.0.0.1"));
				default -> {
					if (!host.matches("[0-9.]+|.*:.*")) {
						throw new UnknownHostException(host + " is not one of the test's names");
					}
					yield List.of(address(host));
				}
			};
		}

		private static InetAddress address(String literal) throws UnknownHostException {
			return InetAddress.getByName(literal);
		}

	}

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port, ADMIN);
	}

	@AfterAll
	static void stop(@Autowired ConfigurableApplicationContext application) {
		// The application's consumers stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		receiver.close();
		broker.close();
	}

	@Test
	void rulesAreCreatedReadReplacedAndDeletedUnderETagsAndIfMatch() {
		String rule = thresholdRule("crud-rule", 80);
		HttpResponse<String> created = this.api.send("POST", "/api/v1/rules", rule);
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/rules/crud-rule");
		String etag = created.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).startsWith("\"").endsWith("\"");
		assertThat(this.api.send("POST", "/api/v1/rules", rule).statusCode()).isEqualTo(409);

		HttpResponse<String> read = this.api.get("/api/v1/rules/crud-rule");
		assertThat(read.headers().firstValue("ETag")).hasValue(etag);
		assertThat(ApiClient.json(read).get("threshold").asDouble()).isEqualTo(80);
		assertThat(this.api.get("/api/v1/rules").body()).contains("\"id\":\"crud-rule\"",
				"\"id\":\"high-temperature\"");

		String changed = thresholdRule("crud-rule", 85);
		assertProblem(this.api.send("PUT", "/api/v1/rules/crud-rule", changed), 428, "precondition-required");
		assertProblem(this.api.send("PUT", "/api/v1/rules/crud-rule", changed, Map.of("If-Match", "\"stale\"")), 412,
				"precondition-failed");
		HttpResponse<String> replaced = this.api.send("PUT", "/api/v1/rules/crud-rule", changed,
				Map.of("If-Match", etag));
		assertThat(replaced.statusCode()).isEqualTo(200);
		String newEtag = replaced.headers().firstValue("ETag").orElseThrow();
		assertThat(newEtag).isNotEqualTo(etag);
		assertProblem(this.api.send("PUT", "/api/v1/rules/crud-rule", changed, Map.of("If-Match", etag)), 412,
				"precondition-failed");

		HttpResponse<String> putNew = this.api.send("PUT", "/api/v1/rules/crud-put", thresholdRule("crud-put", 1));
		assertThat(putNew.statusCode()).as("PUT creates an absent rule").isEqualTo(201);

		assertProblem(this.api.send("DELETE", "/api/v1/rules/crud-rule", null), 428, "precondition-required");
		assertProblem(this.api.send("DELETE", "/api/v1/rules/crud-rule", null, Map.of("If-Match", etag)), 412,
				"precondition-failed");
		assertThat(this.api.send("DELETE", "/api/v1/rules/crud-rule", null, Map.of("If-Match", newEtag)).statusCode())
			.isEqualTo(204);
		assertProblem(this.api.get("/api/v1/rules/crud-rule"), 404, "not-found");
	}

	@Test
	void badRuleDefinitionsAre400ProblemsNamingTheField() {
		assertInvalid("{\"id\":\"b1\",\"metric\":\"t\",\"statistic\":\"max\",\"operator\":\">\",\"threshold\":1}",
				"invalid-definition", "/kind");
		assertInvalid(
				"{\"id\":\"b2\",\"kind\":\"threshold\",\"metric\":\"t\",\"statistic\":\"max\",\"operator\":\"=>\",\"threshold\":1}",
				"invalid-json", "/operator");
		assertInvalid(
				"{\"id\":\"b3\",\"kind\":\"threshold\",\"metric\":\"t\",\"statistic\":\"max\",\"operator\":\">\",\"threshold\":1,\"for\":\"-PT1M\"}",
				"invalid-definition", "/for");
		assertInvalid(
				"{\"id\":\"b4\",\"kind\":\"anomaly\",\"metric\":\"t\",\"statistic\":\"avg\",\"lookback\":10,\"k\":3}",
				"invalid-definition", "/window");
		assertInvalid(
				"{\"id\":\"b5\",\"kind\":\"threshold\",\"metric\":\"t\",\"statistic\":\"max\",\"operator\":\">\",\"threshold\":\"high\"}",
				"invalid-json", "/threshold");
		assertInvalid(
				"{\"id\":\"b6\",\"kind\":\"threshold\",\"metric\":\"t\",\"statistic\":\"max\",\"operator\":\">\",\"treshold\":1}",
				"invalid-json", "/treshold");
		assertInvalid("{\"id\":\"b7\",", "invalid-json", "");
	}

	@Test
	void aSilenceIsListedWithWhoAndWhyThenExpiredAndStillListed() {
		String silence = "{\"matchers\":[{\"name\":\"sensorId\",\"value\":\"pump-7\",\"isRegex\":false,\"isEqual\":true}],"
				+ "\"endsAt\":\"" + Instant.now().plusSeconds(3600) + "\",\"comment\":\"pump 7 under maintenance\"}";
		HttpResponse<String> created = this.api.send("POST", "/api/v1/silences", silence);
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = ApiClient.json(created);
		String id = body.get("id").asText();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/silences/" + id);
		assertThat(body.get("createdBy").asText()).as("the caller's key name").isEqualTo("operator");
		assertThat(body.get("state").asText()).isEqualTo("active");

		JsonNode listed = ApiClient.json(this.api.get("/api/v1/silences?state=active"));
		assertThat(listed.findValuesAsText("comment")).contains("pump 7 under maintenance");

		HttpResponse<String> expired = this.api.send("DELETE", "/api/v1/silences/" + id, null);
		assertThat(expired.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(expired).get("state").asText()).isEqualTo("expired");
		JsonNode after = ApiClient.json(this.api.get("/api/v1/silences/" + id));
		assertThat(after.get("state").asText()).isEqualTo("expired");
		assertThat(after.get("createdBy").asText()).isEqualTo("operator");
		assertThat(ApiClient.json(this.api.get("/api/v1/silences?state=expired")).findValuesAsText("id")).contains(id);

		assertInvalidAt("/api/v1/silences",
				"{\"matchers\":[{\"name\":\"sensorId\",\"value\":\".*\",\"isRegex\":true,\"isEqual\":true}],"
						+ "\"endsAt\":\"" + Instant.now().plusSeconds(60) + "\"}",
				"invalid-definition", "/matchers");
	}

	@Test
	void subscriptionUrlsToInternalAddressesAreRefusedWithTheReason() {
		assertRefused("http://169.254.169.254/", "the cloud instance metadata service");
		assertRefused("http://localhost/", "a loopback address");
		assertRefused("https://hooks.internal.test/alerts", "resolves to 10.0.0.1, a private address");
		assertInvalidAt("/api/v1/subscriptions",
				"{\"url\":\"" + receiver.url() + "\",\"headers\":{\"webhook-signature\":\"forged\"}}",
				"invalid-definition", "/headers/webhook-signature");
		assertThat(this.api.get("/api/v1/subscriptions").body()).doesNotContain("hooks.internal.test");
	}

	@Test
	void configuredSubscriptionsAreListedReadOnly() {
		JsonNode configured = ApiClient.json(this.api.get("/api/v1/subscriptions/ops-configured"));
		assertThat(configured.get("source").asText()).isEqualTo("configuration");
		assertThat(configured.has("secret")).isFalse();
		assertProblem(this.api.send("DELETE", "/api/v1/subscriptions/ops-configured", null, Map.of("If-Match", "*")),
				409, "defined-by-configuration");
		assertProblem(this.api.send("POST", "/api/v1/subscriptions/ops-configured/secret", "{}"), 409,
				"defined-by-configuration");
	}

	@Test
	void aSubscriptionIsChangedAndDeletedUnderIfMatchAndADisabledOneIsEnabledAgain() {
		HttpResponse<String> created = this.api.send("POST", "/api/v1/subscriptions",
				"{\"url\":\"" + receiver.url() + "\",\"filters\":{\"rules\":[\"no-such-rule\"]}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = ApiClient.json(created).get("id").asText();
		String path = "/api/v1/subscriptions/" + id;
		assertThat(created.headers().firstValue("Location")).hasValue(path);
		String etag = created.headers().firstValue("ETag").orElseThrow();
		String changed = "{\"url\":\"" + receiver.url() + "?v=2\",\"format\":\"cloudevents\","
				+ "\"headers\":{\"X-Receiver-Key\":\"receiver-credential\"}}";
		assertProblem(this.api.send("PUT", path, changed), 428, "precondition-required");
		HttpResponse<String> replaced = this.api.send("PUT", path, changed, Map.of("If-Match", etag));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		assertThat(replaced.body()).doesNotContain("\"secret\"").doesNotContain("receiver-credential");
		JsonNode shown = ApiClient.json(this.api.get(path));
		assertThat(shown.get("format").asText()).isEqualTo("cloudevents");
		assertThat(shown.get("headers").get("X-Receiver-Key").asText()).isEqualTo("(hidden)");
		assertProblem(
				this.api.send("PUT", path, "{\"url\":\"http://localhost/\"}",
						Map.of("If-Match", replaced.headers().firstValue("ETag").orElseThrow())),
				400, "webhook-target-refused");

		this.catalog.disableSubscription(id, "410 Gone", Instant.now());
		this.catalog.disableSubscription("ops-configured", "410 Gone", Instant.now());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ApiClient.json(this.api.get(path)).has("disabledAt")
					&& ApiClient.json(this.api.get("/api/v1/subscriptions/ops-configured")).has("disabledAt"));
		assertThat(ApiClient.json(this.api.get(path)).get("disabledReason").asText()).isEqualTo("410 Gone");
		for (String enable : List.of(path, "/api/v1/subscriptions/ops-configured")) {
			HttpResponse<String> enabled = this.api.send("POST", enable + "/enable", null);
			assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
			assertThat(ApiClient.json(enabled).has("disabledAt")).isFalse();
		}

		assertProblem(this.api.send("DELETE", path, null, Map.of("If-Match", etag)), 412, "precondition-failed");
		String current = this.api.get(path).headers().firstValue("ETag").orElseThrow();
		assertThat(this.api.send("DELETE", path, null, Map.of("If-Match", current)).statusCode()).isEqualTo(204);
		assertProblem(this.api.get(path), 404, "not-found");
	}

	@Test
	void aNotificationFromARuleAndASubscriptionMadeOverTheApiVerifiesWithTheSecretShownOnceThenWithBothAfterRotation()
			throws Exception {
		HttpResponse<String> created = this.api.send("POST", "/api/v1/subscriptions", "{\"id\":\"e2e\",\"url\":\""
				+ receiver.url() + "\",\"format\":\"millrace\",\"filters\":{\"rules\":[\"e2e-vibration\"]}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String secret = ApiClient.json(created).get("secret").asText();
		assertThat(secret).startsWith("whsec_");
		HttpResponse<String> shown = this.api.get("/api/v1/subscriptions/e2e");
		assertThat(shown.body()).doesNotContain(secret).doesNotContain("\"secret\"").contains("\"source\":\"api\"");
		assertThat(this.api.get("/api/v1/subscriptions").body()).doesNotContain(secret);

		HttpResponse<String> rule = this.api.send("POST", "/api/v1/rules",
				"{\"id\":\"e2e-vibration\",\"kind\":\"threshold\",\"metric\":\"vibration\",\"statistic\":\"max\","
						+ "\"operator\":\">\",\"threshold\":5,\"severity\":\"critical\"}");
		assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);

		publish(aggregate("e2e-pump-1", 7.5));
		Received first = awaitNotification("e2e-pump-1");
		new Webhook(secret).verify(first.body(), first.headers());
		assertThat(first.body()).contains("\"ruleId\":\"e2e-vibration\"", "\"status\":\"firing\"");

		HttpResponse<String> rotated = this.api.send("POST", "/api/v1/subscriptions/e2e/secret",
				"{\"overlap\":\"PT1H\"}");
		assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
		String next = ApiClient.json(rotated).get("secret").asText();
		assertThat(next).startsWith("whsec_").isNotEqualTo(secret);
		assertThat(ApiClient.json(rotated).get("previousSecretExpiresAt").asText()).isNotBlank();

		publish(aggregate("e2e-pump-2", 9.0));
		Received second = awaitNotification("e2e-pump-2");
		assertThat(second.headers().get("webhook-signature").get(0).split(" ")).hasSize(2);
		new Webhook(next).verify(second.body(), second.headers());
		new Webhook(secret).verify(second.body(), second.headers());
	}

	@Test
	void everyAdminChangeIsInTheAuditTrailWithWhoBeforeAndAfterAndNeverASecret() {
		HttpResponse<String> created = this.api.send("POST", "/api/v1/subscriptions",
				"{\"id\":\"audited\",\"url\":\"" + receiver.url() + "\",\"filters\":{\"rules\":[\"no-such-rule\"]}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String secret = ApiClient.json(created).get("secret").asText();
		HttpResponse<String> replaced = this.api.send("PUT", "/api/v1/subscriptions/audited",
				"{\"url\":\"" + receiver.url() + "\",\"filters\":{\"rules\":[\"no-such-rule\"]},"
						+ "\"headers\":{\"X-Receiver-Key\":\"audited-credential\"}}",
				Map.of("If-Match", created.headers().firstValue("ETag").orElseThrow()));
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
		HttpResponse<String> rotated = this.api.send("POST", "/api/v1/subscriptions/audited/secret", "{}");
		String next = ApiClient.json(rotated).get("secret").asText();
		HttpResponse<String> rule = this.api.send("POST", "/api/v1/rules", thresholdRule("audited-rule", 80));
		assertThat(this.api
			.send("PUT", "/api/v1/rules/audited-rule", thresholdRule("audited-rule", 85),
					Map.of("If-Match", rule.headers().firstValue("ETag").orElseThrow()))
			.statusCode()).isEqualTo(200);
		String ruleEtag = this.api.get("/api/v1/rules/audited-rule").headers().firstValue("ETag").orElseThrow();
		assertThat(
				this.api.send("DELETE", "/api/v1/rules/audited-rule", null, Map.of("If-Match", ruleEtag)).statusCode())
			.isEqualTo(204);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> ApiClient.json(this.api.get("/api/v1/audit?resourceId=audited-rule"))
				.get("entries")
				.size() == 3);
		JsonNode ruleHistory = ApiClient.json(this.api.get("/api/v1/audit?resourceType=rule&resourceId=audited-rule"))
			.get("entries");
		assertThat(ruleHistory.findValuesAsText("action")).as("newest first")
			.containsExactly("rule.deleted", "rule.updated", "rule.created");
		JsonNode updated = ruleHistory.get(1);
		assertThat(updated.get("actor").get("kind").asText()).isEqualTo("api-key");
		assertThat(updated.get("actor").get("name").asText()).isEqualTo("operator");
		assertThat(updated.get("service").asText()).isEqualTo("alerting-service");
		assertThat(updated.get("before").get("threshold").asDouble()).isEqualTo(80);
		assertThat(updated.get("after").get("threshold").asDouble()).isEqualTo(85);
		assertThat(ruleHistory.get(0).has("after")).isFalse();
		assertThat(ruleHistory.get(2).has("before")).isFalse();

		HttpResponse<String> subscriptionHistory = this.api.get("/api/v1/audit?resourceId=audited&actor=operator");
		assertThat(ApiClient.json(subscriptionHistory).get("entries").findValuesAsText("action"))
			.containsExactly("subscription.secret-rotated", "subscription.updated", "subscription.created");
		assertThat(subscriptionHistory.body()).doesNotContain(secret)
			.doesNotContain(next)
			.doesNotContain("audited-credential")
			.contains("(hidden)");
		List<String> onTheTopic = this.topics
			.readUntil(Topics.AUDIT, (records) -> records.size() >= 6, Duration.ofSeconds(10))
			.stream()
			.map(TopicClient::value)
			.toList();
		assertThat(onTheTopic).hasSizeGreaterThanOrEqualTo(6)
			.noneMatch(
					(value) -> value.contains(secret) || value.contains(next) || value.contains("audited-credential"));

		assertProblem(new ApiClient(this.port, READER).get("/api/v1/audit"), 403, "forbidden");
		assertProblem(this.api.get("/api/v1/audit?limit=0"), 400, "invalid-limit");
	}

	private Received awaitNotification(String sensor) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> receiver.received().stream().anyMatch((r) -> r.body().contains("\"" + sensor + "\"")));
		return receiver.received().stream().filter((r) -> r.body().contains("\"" + sensor + "\"")).findFirst().get();
	}

	private void assertRefused(String url, String reason) {
		HttpResponse<String> response = this.api.send("POST", "/api/v1/subscriptions", "{\"url\":\"" + url + "\"}");
		assertProblem(response, 400, "webhook-target-refused");
		JsonNode problem = ApiClient.json(response);
		assertThat(problem.get("detail").asText()).contains(reason);
		assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("/url");
	}

	private void assertInvalid(String rule, String type, String field) {
		assertInvalidAt("/api/v1/rules", rule, type, field);
	}

	private void assertInvalidAt(String path, String json, String type, String field) {
		HttpResponse<String> response = this.api.send("POST", path, json);
		assertProblem(response, 400, type);
		assertThat(ApiClient.json(response).get("errors").findValuesAsText("field")).as(json).contains(field);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(ApiClient.json(response).get("type").asText()).isEqualTo("https://millrace.io/problems/" + type);
	}

	private static String thresholdRule(String id, double threshold) {
		return "{\"id\":\"" + id + "\",\"kind\":\"threshold\",\"metric\":\"temperature\",\"statistic\":\"max\","
				+ "\"operator\":\">\",\"threshold\":" + threshold + ",\"for\":\"PT0S\"}";
	}

	private void publish(WindowAggregate aggregate) throws IOException {
		this.topics.send(Topics.TELEMETRY_AGGREGATES, aggregate.sensorId(),
				MillraceJson.mapper().writeValueAsBytes(aggregate));
	}

	private static WindowAggregate aggregate(String sensor, double max) {
		AggregateWindow window = AggregateWindow.tumbling(T0, Duration.ofMinutes(1));
		return new WindowAggregate(sensor, "vibration", window, 2, max + 1, 1, max, (max + 1) / 2, 1.0, null, null,
				null, 1.0, max, true, 0, WindowAggregate.ON_TIME, Instant.now());
	}

	static String temporaryDirectory() {
		try {
			return Files.createTempDirectory("alerting-api").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
