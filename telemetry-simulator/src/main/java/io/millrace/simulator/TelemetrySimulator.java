package io.millrace.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.json.MillraceJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one batch of readings from a {@link SensorFleet} to ingest-service every
 * interval, as a fleet of devices would. Failed posts are counted and logged (once per
 * streak), and the simulator keeps going: it is a load source, not a test oracle.
 */
public final class TelemetrySimulator implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TelemetrySimulator.class);

	private final URI eventsUrl;

	private final String apiKey;

	private final SensorFleet fleet;

	private final Duration interval;

	private final Clock clock;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ObjectMapper json = MillraceJson.mapper();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "telemetry-simulator");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicLong eventsAccepted = new AtomicLong();

	private final AtomicLong failedPosts = new AtomicLong();

	private volatile boolean failing;

	/**
	 * A simulator.
	 * @param eventsUrl ingest's {@code /api/v1/events} URL
	 * @param apiKey an API key with the {@code events:write} scope
	 * @param fleet the sensors to read
	 * @param interval time between batches
	 * @param clock source of event time
	 */
	public TelemetrySimulator(URI eventsUrl, String apiKey, SensorFleet fleet, Duration interval, Clock clock) {
		this.eventsUrl = eventsUrl;
		this.apiKey = apiKey;
		this.fleet = fleet;
		this.interval = interval;
		this.clock = clock;
	}

	/** Start posting in the background. */
	public void start() {
		this.scheduler.scheduleAtFixedRate(this::postOneBatch, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Post one batch now; used by {@link #start()} and by tests. */
	public void postOneBatch() {
		try {
			byte[] body = this.json.writeValueAsBytes(this.fleet.readingsAt(this.clock.instant()));
			HttpRequest request = HttpRequest.newBuilder(this.eventsUrl)
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("X-API-Key", this.apiKey)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 202) {
				this.eventsAccepted.addAndGet(this.json.readTree(response.body()).path("accepted").asLong());
				recovered();
			}
			else {
				failed("ingest answered " + response.statusCode() + ": " + response.body());
			}
		}
		catch (JsonProcessingException ex) {
			failed("could not write or read JSON: " + ex.getMessage());
		}
		catch (IOException ex) {
			failed("could not reach " + this.eventsUrl + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void failed(String reason) {
		this.failedPosts.incrementAndGet();
		if (!this.failing) {
			this.failing = true;
			logger.warn("Simulator post failed ({}); retrying every {}", reason, this.interval);
		}
	}

	private void recovered() {
		if (this.failing) {
			this.failing = false;
			logger.info("Simulator posts succeed again");
		}
	}

	/**
	 * Events ingest accepted so far.
	 * @return the count
	 */
	public long eventsAccepted() {
		return this.eventsAccepted.get();
	}

	/**
	 * Posts that failed so far.
	 * @return the count
	 */
	public long failedPosts() {
		return this.failedPosts.get();
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
