package io.millrace.serving.vitals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.millrace.serving.vitals.VitalSigns.Scrape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every source every {@code interval}, all at once, and hands the results to
 * {@link VitalSigns}. A source that stops answering is logged once at WARN, and again at
 * INFO when it answers again; its vital signs say {@code unavailable} meanwhile.
 */
final class VitalsPoller implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(VitalsPoller.class);

	private final VitalSigns signs;

	private final Duration interval;

	private final Duration timeout;

	private final Clock clock;

	private final HttpClient http;

	private final ScheduledExecutorService scheduler;

	private final Set<String> failing = ConcurrentHashMap.newKeySet();

	VitalsPoller(VitalSigns signs, Duration interval, Duration timeout, Clock clock) {
		this.signs = signs;
		this.interval = interval;
		this.timeout = timeout;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "vitals-poller");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Scrape now and then every {@code interval}; nothing when no source is configured.
	 */
	void start() {
		if (!this.signs.sources().isEmpty()) {
			this.scheduler.scheduleWithFixedDelay(this::pollSafely, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void pollSafely() {
		try {
			poll();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again.
			logger.warn("Vital signs poll failed: {}", ex.toString());
		}
	}

	/** Scrape every source once, all at once, and wait for them. */
	void poll() {
		Map<String, CompletableFuture<Scrape>> scrapes = new LinkedHashMap<>();
		this.signs.sources().forEach((source, url) -> scrapes.put(source, scrape(source, url)));
		scrapes.forEach((source, scrape) -> {
			Scrape result = scrape.join();
			if (!result.succeeded() && this.failing.add(source)) {
				logger.warn("Cannot scrape {} at {} for the dashboard's vital signs: {}", source,
						this.signs.sources().get(source), result.error());
			}
			else if (result.succeeded() && this.failing.remove(source)) {
				logger.info("Scraping {} for the dashboard's vital signs again", source);
			}
			this.signs.record(result);
		});
	}

	private CompletableFuture<Scrape> scrape(String source, URI url) {
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(this.timeout)
			.header("Accept", "text/plain;version=0.0.4")
			.GET()
			.build();
		var at = this.clock.instant();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				return Scrape.failed(source, at, cause.toString());
			}
			if (response.statusCode() != 200) {
				return Scrape.failed(source, at, "HTTP " + response.statusCode());
			}
			return Scrape.of(source, at, PrometheusText.parse(response.body()));
		});
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
