package io.millrace.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.RestartableBroker;
import io.millrace.local.TopicClient;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "202 means stored", proved under load: clients keep posting batches (each retried with
 * the same event ids after a 503 or 429, as a well-behaved client does) while the broker
 * is stopped and restarted. Afterwards every event answered {@code 202} is on
 * {@code telemetry-raw}; an event is there at most as many times as it was sent, and
 * exactly once if it was sent once; nothing else is there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "management.server.port=0" })
class IngestOutageUnderLoadIntegrationTests {

	static final int CLIENTS = 4;

	static final int EVENTS_PER_BATCH = 25;

	static final RestartableBroker broker = new RestartableBroker();

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Event id → how many requests carried it. */
	final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();

	final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	final AtomicInteger accepted = new AtomicInteger();

	final AtomicInteger unavailable = new AtomicInteger();

	final AtomicInteger otherAnswers = new AtomicInteger();

	volatile boolean stopping;

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
	void everyEventAnswered202IsOnTheTopicAndNoneMoreOftenThanItWasSent() throws Exception {
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			int client = i;
			Thread thread = new Thread(() -> postBatchesUntilStopped(client), "load-client-" + i);
			thread.start();
			clients.add(thread);
		}
		awaitAccepted(100, Duration.ofSeconds(60));
		int acceptedBefore = this.accepted.get();

		broker.stop();
		// Longer than the producer's delivery timeout (8 s): requests in flight get 503.
		Thread.sleep(12_000);
		int unavailableDuringOutage = this.unavailable.get();
		broker.restart();

		awaitAccepted(this.accepted.get() + 100, Duration.ofSeconds(90));
		this.stopping = true;
		for (Thread client : clients) {
			client.join(Duration.ofSeconds(30).toMillis());
		}

		assertThat(acceptedBefore).isGreaterThanOrEqualTo(100);
		assertThat(unavailableDuringOutage).as("requests answered 503 during the outage").isPositive();
		assertThat(this.otherAnswers.get()).as("answers other than 202/503/429").isZero();

		Map<String, Integer> onTopic = new HashMap<>();
		try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
			List<ConsumerRecord<byte[], byte[]>> records = topics.readUntil(Topics.TELEMETRY_RAW,
					(read) -> read.size() >= this.acknowledged.size()
							&& idsOf(read).keySet().containsAll(this.acknowledged),
					Duration.ofSeconds(60));
			onTopic.putAll(idsOf(records));
		}
		assertThat(onTopic.keySet()).as("every event answered 202 is stored").containsAll(this.acknowledged);
		assertThat(this.sends.keySet()).as("nothing was stored that no client sent").containsAll(onTopic.keySet());
		int retriedAndStoredTwice = 0;
		for (Map.Entry<String, Integer> stored : onTopic.entrySet()) {
			int sent = this.sends.get(stored.getKey()).get();
			assertThat(stored.getValue()).as("copies of %s, sent %d times", stored.getKey(), sent)
				.isLessThanOrEqualTo(sent);
			if (sent == 1) {
				assertThat(stored.getValue()).as("copies of %s, sent once", stored.getKey()).isEqualTo(1);
			}
			else if (stored.getValue() > 1) {
				retriedAndStoredTwice++;
			}
		}
		System.out.printf(
				"outage under load: %d events acknowledged, %d requests answered 503, %d events on the topic, "
						+ "%d retried events stored more than once%n",
				this.acknowledged.size(), this.unavailable.get(), onTopic.size(), retriedAndStoredTwice);
	}

	private void postBatchesUntilStopped(int client) {
		int batch = 0;
		while (!this.stopping) {
			List<String> ids = new ArrayList<>();
			StringBuilder body = new StringBuilder("[");
			for (int i = 0; i < EVENTS_PER_BATCH; i++) {
				String id = "load-" + client + "-" + batch + "-" + i;
				ids.add(id);
				body.append((i > 0) ? "," : "")
					.append("{\"eventId\": \"")
					.append(id)
					.append("\", \"sensorId\": \"load-sensor-")
					.append((client * 31 + i) % 64)
					.append("\", \"value\": ")
					.append(i)
					.append(", \"timestamp\": \"2026-02-05T10:00:00Z\"}");
			}
			body.append(']');
			// Retry the same events until they are accepted, as a client that must not
			// lose data does; give up only when the test stops.
			boolean stored = false;
			while (!stored && !this.stopping) {
				ids.forEach((id) -> this.sends.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet());
				int status = post(body.toString());
				if (status == 202) {
					this.acknowledged.addAll(ids);
					this.accepted.incrementAndGet();
					stored = true;
				}
				else {
					if (status == 503) {
						this.unavailable.incrementAndGet();
					}
					else if (status != 429 && status != -1) {
						this.otherAnswers.incrementAndGet();
					}
					sleep(200);
				}
			}
			batch++;
		}
	}

	/**
	 * @return the status, or -1 if the request failed without an answer
	 */
	private int post(String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/events"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-API-Key", TestApiKeys.WRITER)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private void awaitAccepted(int requests, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.accepted.get() < requests && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(this.accepted.get()).as("batches accepted").isGreaterThanOrEqualTo(requests);
	}

	private static Map<String, Integer> idsOf(List<ConsumerRecord<byte[], byte[]>> records) {
		Map<String, Integer> counts = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> record : records) {
			try {
				JsonNode event = MillraceJson.mapper().readTree(record.value());
				counts.merge(event.get("eventId").asText(), 1, Integer::sum);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return counts;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
