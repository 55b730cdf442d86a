package io.millrace.lakehouse.powerbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.InputBatch;
import io.millrace.runtime.task.OutputSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push against a real HTTP receiver on 127.0.0.1 that enforces Power BI's documented
 * push limits ({@link PowerBiReceiver}); the real Power BI service is not reachable from
 * here.
 */
class PowerBiPushTaskTests {

	private static final String TOKEN = "test-token-1";

	private static final String TOPIC = "telemetry-aggregates";

	private static final Instant START = Instant.parse("2026-02-05T10:00:00Z");

	private final ObjectMapper json = new ObjectMapper();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final PowerBiMetrics metrics = new PowerBiMetrics(this.registry);

	private final RecordingSink sink = new RecordingSink();

	private final AtomicInteger acknowledged = new AtomicInteger();

	private PowerBiReceiver receiver;

	@AfterEach
	void stop() {
		if (this.receiver != null) {
			this.receiver.close();
		}
	}

	@Test
	void everyFinalArrivesExactlyAsSentAndNothingElse() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10_000, 120, 1_000_000, 3), Duration.ofMinutes(1));
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			payloads.add(aggregate("s" + (i % 7), i, i % 3 != 2));
		}
		payloads.add("not json".getBytes());

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		List<Map<String, Object>> expected = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			if (i % 3 != 2) {
				expected.add(PowerBiRows.of(MillraceJson.mapper().readValue(payloads.get(i), WindowAggregate.class),
						"0", i));
			}
		}
		assertThat(this.receiver.rows()).containsExactlyElementsOf(asJson(expected));
		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::status).containsExactly(200);
		assertThat(this.sink.sent).isEmpty();
		assertThat(this.acknowledged).hasValue(1);
		assertThat(counter("millrace.lakehouse.powerbi.rows.pushed", null, null)).isEqualTo(200);
		assertThat(counter("millrace.lakehouse.powerbi.records.skipped", "reason", "not-final")).isEqualTo(100);
		assertThat(counter("millrace.lakehouse.powerbi.records.skipped", "reason", "undecodable")).isEqualTo(1);
		assertThat(task.status().nextOffsets()).containsEntry("0", 301L);
	}

	@Test
	void aBurstLargerThanOneRequestIsSplitWithinTheRowLimit() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10_000, 120, 1_000_000, 3), Duration.ofMinutes(1));
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < 25_000; i++) {
			payloads.add(aggregate("s" + (i % 50), i, true));
		}

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::rows)
			.containsExactly(10_000, 10_000, 5_000);
		List<JsonNode> rows = this.receiver.rows();
		assertThat(rows).hasSize(25_000);
		for (int i = 0; i < rows.size(); i++) {
			assertThat(rows.get(i).get("sourceOffset").asLong()).isEqualTo(i);
		}
		assertThat(this.sink.sent).isEmpty();
	}

	@Test
	void theReceiverRefusesMoreThanTenThousandRowsInOneRequest() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int i = 0; i < 10_001; i++) {
			rows.add(Map.of("sensorId", "s", "sourceOffset", i));
		}
		PushResponse response = new RowsEndpoint(properties(TOKEN, 10_000, 120, 1_000_000, 1).rowsUri(), () -> TOKEN,
				Duration.ofSeconds(10))
			.post(rows);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.detail()).contains("more than 10000");
		assertThat(this.receiver.rows()).isEmpty();
	}

	@Test
	void aThrottledRequestWaitsOutItsRetryAfterAndItsRowsStillArrive() throws Exception {
		// The receiver allows 2 requests per 2 s; the sink's own budget would allow 100.
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 2, Duration.ofSeconds(2));
		PowerBiPushTask task = task(properties(TOKEN, 10, 100, 1_000_000, 10), Duration.ofMinutes(1));
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			payloads.add(aggregate("s1", i, true));
		}

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		List<PowerBiReceiver.Answer> answers = this.receiver.answers();
		assertThat(answers).extracting(PowerBiReceiver.Answer::status).contains(429);
		assertThat(answers.stream().filter((answer) -> answer.status() == 200)).hasSize(4);
		// After each 429 the next request came no sooner than its Retry-After (>= 1 s).
		for (int i = 0; i < answers.size() - 1; i++) {
			if (answers.get(i).status() == 429) {
				assertThat(Duration.ofNanos(answers.get(i + 1).at() - answers.get(i).at()))
					.isGreaterThanOrEqualTo(Duration.ofMillis(950));
			}
		}
		assertThat(this.receiver.rows()).extracting((row) -> row.get("sourceOffset").asLong())
			.containsExactlyElementsOf(offsets(0, 40));
		assertThat(this.sink.sent).isEmpty();
		assertThat(counter("millrace.lakehouse.powerbi.requests", "outcome", "throttled")).isGreaterThan(0);
		assertThat(counter("millrace.lakehouse.powerbi.throttled.waits", "cause", "retry-after")).isGreaterThan(0);
		assertThat(counter("millrace.lakehouse.powerbi.throttled.wait", "cause", "retry-after"))
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void theOwnBudgetPacesRequestsSoThatTheReceiverNeverThrottles() throws Exception {
		// The sink's budget is the receiver's, 2 requests per 2 s; the receiver counts
		// arrivals and the sink departures, so the receiver's window is a little shorter
		// (a request that took longer in transit than the next must not look early).
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 2, Duration.ofMillis(1900));
		PowerBiPushTask task = task(properties(TOKEN, 10, 2, 1_000_000, 3), Duration.ofSeconds(2));
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			payloads.add(aggregate("s1", i, true));
		}

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::status)
			.containsExactly(200, 200, 200, 200, 200);
		assertThat(this.receiver.rows()).hasSize(50);
		// Requests 3 and 5 wait for a window to pass; request 4 waits too (a few ms) when
		// request 2 left later than request 1 by more than the sleep overshot.
		assertThat(counter("millrace.lakehouse.powerbi.throttled.waits", "cause", "budget")).isBetween(2.0, 3.0);
	}

	@Test
	void aBadRequestIsDeadLetteredWithItsReasonAndNotTriedAgain() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 2, 120, 1_000_000, 5), Duration.ofMinutes(1));
		List<byte[]> payloads = List.of(aggregate("s1", 0, true), aggregate("s1", 1, true), aggregate("s1", 2, true));
		this.receiver.failNext(400, 0);

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::status).containsExactly(400, 200);
		assertThat(this.receiver.rows()).extracting((row) -> row.get("sourceOffset").asLong()).containsExactly(2L);
		assertThat(this.sink.sent).hasSize(2);
		for (int i = 0; i < 2; i++) {
			OutputRecord deadLetter = this.sink.sent.get(i);
			assertThat(deadLetter.output()).isEqualTo(DeadLetters.OUTPUT);
			assertThat(deadLetter.payload()).isEqualTo(payloads.get(i));
			assertThat(deadLetter.headers()).containsEntry(DeadLetters.ERROR_REASON, RowPusher.REJECTED)
				.containsEntry(DeadLetters.SOURCE_TOPIC, TOPIC)
				.containsEntry(DeadLetters.SOURCE_PARTITION, "0")
				.containsEntry(DeadLetters.SOURCE_OFFSET, String.valueOf(i));
			assertThat(deadLetter.headers().get(DeadLetters.ERROR_DETAIL)).startsWith("HTTP 400: ")
				.contains("injected 400");
		}
		assertThat(this.acknowledged).hasValue(1);
		assertThat(counter("millrace.lakehouse.powerbi.deadlettered", "reason", RowPusher.REJECTED)).isEqualTo(2);
		assertThat(counter("millrace.lakehouse.powerbi.requests", "outcome", "rejected")).isEqualTo(1);
	}

	@Test
	void aRefusedTokenIsNotTriedAgain() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties("wrong-token", 10, 120, 1_000_000, 5), Duration.ofMinutes(1));

		task.acceptUntilDone(batch(List.of(aggregate("s1", 0, true))), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::status).containsExactly(401);
		assertThat(this.sink.sent).singleElement()
			.satisfies((deadLetter) -> assertThat(deadLetter.headers().get(DeadLetters.ERROR_DETAIL))
				.startsWith("HTTP 401"));
	}

	@Test
	void aServerErrorIsTriedAgainWithBackOff() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10, 120, 1_000_000, 5), Duration.ofMinutes(1));
		this.receiver.failNext(503, 0);
		this.receiver.failNext(500, 0);

		task.acceptUntilDone(batch(List.of(aggregate("s1", 0, true), aggregate("s2", 1, true))),
				(pause) -> Thread.sleep(pause.toMillis()));

		List<PowerBiReceiver.Answer> answers = this.receiver.answers();
		assertThat(answers).extracting(PowerBiReceiver.Answer::status).containsExactly(503, 500, 200);
		// Back-off of 1 s, then 2 s.
		assertThat(Duration.ofNanos(answers.get(2).at() - answers.get(1).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
		assertThat(this.receiver.rows()).hasSize(2);
		assertThat(this.sink.sent).isEmpty();
		assertThat(counter("millrace.lakehouse.powerbi.requests", "outcome", "server-error")).isEqualTo(2);
	}

	@Test
	void rowsAreDeadLetteredWhenEveryAttemptFails() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10, 120, 1_000_000, 2), Duration.ofMinutes(1));
		this.receiver.failNext(503, 0);
		this.receiver.failNext(503, 0);

		task.acceptUntilDone(batch(List.of(aggregate("s1", 0, true))), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.answers()).extracting(PowerBiReceiver.Answer::status).containsExactly(503, 503);
		assertThat(this.sink.sent).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.headers()).containsEntry(DeadLetters.ERROR_REASON, RowPusher.UNDELIVERED);
			assertThat(deadLetter.headers().get(DeadLetters.ERROR_DETAIL))
				.startsWith("2 attempts, the last answered HTTP 503");
		});
		assertThat(this.acknowledged).hasValue(1);
	}

	@Test
	void rowsOverTheHourlyBudgetAndOverlongValuesAreDeadLetteredWithoutARequest() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10, 120, 15, 3), Duration.ofMinutes(1));
		List<byte[]> payloads = new ArrayList<>();
		payloads.add(aggregate("x".repeat(4_001), 0, true));
		for (int i = 1; i <= 20; i++) {
			payloads.add(aggregate("s1", i, true));
		}

		task.acceptUntilDone(batch(payloads), (pause) -> Thread.sleep(pause.toMillis()));

		assertThat(this.receiver.rows()).extracting((row) -> row.get("sourceOffset").asLong())
			.containsExactlyElementsOf(offsets(1, 16));
		assertThat(this.sink.sent).extracting((deadLetter) -> deadLetter.headers().get(DeadLetters.ERROR_REASON))
			.containsExactly(PowerBiPushTask.VALUE_TOO_LONG, RowPusher.OVER_HOURLY_BUDGET, RowPusher.OVER_HOURLY_BUDGET,
					RowPusher.OVER_HOURLY_BUDGET, RowPusher.OVER_HOURLY_BUDGET, RowPusher.OVER_HOURLY_BUDGET);
		assertThat(counter("millrace.lakehouse.powerbi.deadlettered", "reason", RowPusher.OVER_HOURLY_BUDGET))
			.isEqualTo(5);
	}

	@Test
	void theBatchWaitsUntilItsDeadLettersAreAcknowledged() throws Exception {
		this.receiver = new PowerBiReceiver(TOKEN, "ds1", "window_aggregates", 120, Duration.ofMinutes(1));
		PowerBiPushTask task = task(properties(TOKEN, 10, 120, 1_000_000, 3), Duration.ofMinutes(1));
		this.receiver.failNext(400, 0);
		this.sink.delivery = OutputSink.Delivery.PENDING;
		List<Duration> pauses = new ArrayList<>();

		task.acceptUntilDone(batch(List.of(aggregate("s1", 0, true))), (pause) -> {
			pauses.add(pause);
			if (pauses.size() == 2) {
				this.sink.delivery = OutputSink.Delivery.DELIVERED;
			}
		});

		assertThat(pauses).hasSize(2);
		assertThat(this.receiver.answers()).hasSize(1);
		assertThat(this.acknowledged).hasValue(1);
	}

	private PowerBiPushTask task(PowerBiProperties properties, Duration requestWindow) {
		RowPusher pusher = new RowPusher(
				new RowsEndpoint(properties.rowsUri(), properties::accessToken, properties.requestTimeout()),
				new PushBudget(properties.requestsPerMinute(), requestWindow, properties.rowsPerHour(),
						Duration.ofHours(1), System::nanoTime),
				properties.maxRowsPerRequest(), properties.maxAttempts(), properties.maxRetryWait(),
				(wait) -> Thread.sleep(wait.toMillis()), this.metrics);
		return new PowerBiPushTask(TOPIC, ContractDecoders.windowAggregates(), pusher, this.sink, Duration.ofSeconds(1),
				this.metrics, Clock.systemUTC());
	}

	private PowerBiProperties properties(String token, int maxRows, int perMinute, long perHour, int attempts) {
		return new PowerBiProperties(true, this.receiver.apiBase(), "", "ds1", "window_aggregates",
				"https://analysis.windows.net/powerbi/api/.default", token, maxRows, perMinute, perHour, attempts,
				Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1));
	}

	private static byte[] aggregate(String sensor, int i, boolean isFinal) throws Exception {
		WindowAggregate aggregate = new WindowAggregate(sensor, "temperature",
				AggregateWindow.tumbling(START.plusSeconds(60L * i), Duration.ofMinutes(1)), 3, 6.5 + i, 1, 3.25,
				2.1666, 0.5, null, null, null, 1.0, 3.25, isFinal, isFinal ? 2 : 0, WindowAggregate.ON_TIME,
				START.plusSeconds(60L * i + 65));
		return MillraceJson.mapper().writeValueAsBytes(aggregate);
	}

	private InputBatch batch(List<byte[]> payloads) {
		List<String> partitions = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < payloads.size(); i++) {
			partitions.add("0");
			offsets.add((long) i);
		}
		return new InputBatch(payloads, partitions, offsets, this.acknowledged::incrementAndGet);
	}

	private List<JsonNode> asJson(List<Map<String, Object>> rows) throws Exception {
		List<JsonNode> nodes = new ArrayList<>();
		for (Map<String, Object> row : rows) {
			nodes.add(this.json.readTree(MillraceJson.mapper().writeValueAsBytes(row)));
		}
		return nodes;
	}

	private static List<Long> offsets(int from, int to) {
		List<Long> offsets = new ArrayList<>();
		for (long i = from; i < to; i++) {
			offsets.add(i);
		}
		return offsets;
	}

	private double counter(String name, String tag, String value) {
		return (tag != null) ? this.registry.get(name).tag(tag, value).counter().count()
				: this.registry.get(name).counter().count();
	}

	/** Records what is sent; says delivered, or not, as the test sets it. */
	static final class RecordingSink implements OutputSink {

		final List<OutputRecord> sent = new ArrayList<>();

		volatile Delivery delivery = Delivery.DELIVERED;

		@Override
		public void send(List<OutputRecord> records) {
			this.sent.addAll(records);
		}

		@Override
		public Delivery awaitDelivered(Duration timeout) {
			return this.delivery;
		}

		@Override
		public int unconfirmed() {
			return (this.delivery == Delivery.DELIVERED) ? 0 : this.sent.size();
		}

	}

}
