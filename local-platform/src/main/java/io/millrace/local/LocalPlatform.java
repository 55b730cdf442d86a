package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.millrace.simulator.SensorFleet;
import io.millrace.simulator.TelemetrySimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole platform on one machine without Docker: a Kafka broker in this JVM, the
 * five services as separate JVMs, a webhook receiver and the telemetry simulator. Each
 * service is supervised: one that dies is restarted with a backoff
 * ({@link ServiceSupervisor}). Data, logs and lakehouse-service's Delta tables live under
 * {@code .millrace/} in the repository; Ctrl-C stops everything.
 */
public final class LocalPlatform {

	private static final Logger logger = LoggerFactory.getLogger(LocalPlatform.class);

	static final List<String> SERVICES = List.of("ingest-service", "processing-service", "serving-api",
			"alerting-service", "lakehouse-service");

	/** lakehouse-service's tables, relative to {@link #lakehouseRoot(Path)}. */
	static final String BRONZE_TABLE = "bronze/telemetry_events";

	static final String GOLD_TABLE = "gold/window_aggregates";

	private final Path home;

	private final LocalSettings settings;

	private final List<AutoCloseable> running = new ArrayList<>();

	private final List<ServiceSupervisor> services = new ArrayList<>();

	private boolean stopping;

	LocalPlatform(Path home, LocalSettings settings) {
		this.home = home;
		this.settings = settings;
	}

	public static void main(String[] args) throws Exception {
		Path home = Path.of(System.getProperty("millrace.home", ".")).toAbsolutePath().normalize();
		LocalPlatform platform = new LocalPlatform(home, LocalSettings.load(args));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			platform.stop();
			stopped.countDown();
		}, "millrace-shutdown"));
		try {
			platform.start();
		}
		catch (RuntimeException ex) {
			if (platform.isStopping()) {
				// Ctrl-C during startup: the shutdown hook stops what was started.
				stopped.await();
				return;
			}
			logger.error("Millrace did not start: {}", ex.getMessage());
			System.exit(1);
		}
		platform.reportWhileRunning();
		stopped.await();
	}

	void start() {
		Instant began = Instant.now();
		Path dataDir = this.home.resolve(".millrace");
		Path logs = dataDir.resolve("logs");
		logger.info("Starting Millrace; data and logs in {}", dataDir);

		KafkaKraftBroker broker = track(
				KafkaKraftBroker.start(dataDir.resolve("kafka"), this.settings.integer("kafka.port")));
		broker.createTopics(this.settings.topicPartitions());
		logger.info("Kafka broker (KRaft) up on {} with topics {}", broker.bootstrapServers(),
				this.settings.topicPartitions());

		Path webhookLog = logs.resolve("webhooks.log");
		WebhookReceiver receiver = track(WebhookReceiver.start(this.settings.integer("webhook.port"),
				(body) -> appendLine(webhookLog, Instant.now() + " " + body)));

		Path apiKeyFile = dataDir.resolve("api-key");
		String apiKey = LocalApiKey.loadOrCreate(apiKeyFile);
		for (String service : SERVICES) {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
			// Every service takes the key: for its API, and for the management endpoints
			// beyond
			// health and metrics (bindings, streamingprogress), which need admin.
			properties.putAll(LocalApiKey.apiProperties(apiKey));
			// On a laptop the management port is for this machine only.
			properties.put("management.server.address", "127.0.0.1");
			if (service.equals("alerting-service")) {
				properties.put("millrace.alerting.webhook.url", receiver.url());
				// The local receiver is plain http on loopback, which the production SSRF
				// rules
				// refuse; allowed here only.
				properties.put("millrace.alerting.delivery.allow-http", "true");
				properties.put("millrace.alerting.delivery.allow-list", "127.0.0.1");
				properties.put("millrace.alerting.checkpoint.directory",
						dataDir.resolve("checkpoints").toAbsolutePath().toString());
			}
			if (service.equals("lakehouse-service")) {
				// The Delta tables next to the broker's data: --clean and --reset wipe
				// both, so no table keeps offsets of a broker that is gone.
				properties.put("millrace.lakehouse.root", lakehouseRoot(dataDir).toAbsolutePath().toString());
			}
			if (service.equals("serving-api")) {
				// The dashboard's vital signs: the other services' Prometheus scrapes.
				Map<String, Integer> managementPorts = new LinkedHashMap<>();
				SERVICES.forEach((other) -> managementPorts.put(other, this.settings.managementPort(other)));
				properties.putAll(vitalsSources(managementPorts));
				properties.putAll(historySource(this.settings.apiPort("lakehouse-service"), apiKey));
			}
			if (service.equals("processing-service")) {
				// Next to the broker's data, so --reset wipes both together.
				properties.put("millrace.processing.checkpoint.directory",
						dataDir.resolve("checkpoints").toAbsolutePath().toString());
			}
			ServiceSupervisor supervisor = track(new ServiceSupervisor(service,
					() -> ServiceProcess.launch(service, serviceJar(service), this.settings.apiPort(service),
							this.settings.managementPort(service), properties, ServiceProcess.DEFAULT_JVM_OPTIONS,
							logs.resolve(service + ".log")),
					restartBackoff()));
			this.services.add(supervisor);
			supervisor.start();
		}
		for (ServiceSupervisor service : this.services) {
			// A service that dies before it is first ready stops the start (it is most
			// likely misconfigured); once up, its supervisor restarts it when it dies.
			service.process().awaitReady(this.settings.duration("startup.timeout"));
			logger.info("{} ready", service.name());
		}
		Duration startup = Duration.between(began, Instant.now());

		if (this.settings.flag("simulator.enabled")) {
			TelemetrySimulator simulator = new TelemetrySimulator(
					URI.create(apiUrl("ingest-service") + "/api/v1/events"), apiKey,
					new SensorFleet(this.settings.integer("simulator.sensors"), System.nanoTime()),
					this.settings.duration("simulator.interval"), Clock.systemUTC());
			simulator.start();
			track(simulator);
		}
		printWhereToLook(startup, broker, receiver, logs, apiKey, apiKeyFile);
	}

	private void printWhereToLook(Duration startup, KafkaKraftBroker broker, WebhookReceiver receiver, Path logs,
			String apiKey, Path apiKeyFile) {
		StringBuilder text = new StringBuilder();
		text.append(
				String.format("%n  Millrace is up (all services ready in %.1f s)%n%n", startup.toMillis() / 1000.0));
		for (ServiceSupervisor supervisor : this.services) {
			ServiceProcess service = supervisor.process();
			text.append(String.format("  %-20s %s   health %s/actuator/health   metrics %s/actuator/prometheus%n",
					service.name(), service.apiUrl(), service.managementUrl(), service.managementUrl()));
		}
		text.append(String.format("  %-20s %s%n", "Kafka broker", broker.bootstrapServers()));
		text.append(String.format("  %-20s %s  (deliveries in %s)%n", "webhook receiver", receiver.url(),
				this.home.relativize(logs.resolve("webhooks.log"))));
		text.append(String.format("  %-20s %s%n", "logs", this.home.relativize(logs) + "/"));
		Path tables = lakehouseRoot(logs.getParent());
		text.append(String.format("  %-20s %s  (Delta tables %s, %s)%n", "lakehouse tables",
				this.home.relativize(tables) + "/", BRONZE_TABLE, GOLD_TABLE));
		if (this.settings.flag("simulator.enabled")) {
			text.append(String.format("  %-20s %s sensors, one batch every %s%n", "simulator",
					this.settings.integer("simulator.sensors"), this.settings.duration("simulator.interval")));
		}
		text.append(String.format("  %-20s %s  (also in %s; scope %s, for every API: send events, read, change)%n",
				"API key", apiKey, this.home.relativize(apiKeyFile), LocalApiKey.SCOPES));
		// The key in the fragment: the page keeps it in the tab's session storage and
		// drops it from the address bar; browsers never send a fragment to a server.
		text.append(String.format("%n  Dashboard: %s/#key=%s%n", apiUrl("serving-api"), apiKey));
		String keyHeader = "-H \"X-API-Key: $(cat " + this.home.relativize(apiKeyFile) + ")\"";
		text.append(String.format("%n  Try: curl -s %s %s/api/v1/sensors%n", keyHeader, apiUrl("serving-api")));
		text.append(String.format("       curl -s %s %s/api/v1/alerts%n", keyHeader, apiUrl("alerting-service")));
		this.services.stream()
			.filter((supervisor) -> supervisor.name().equals("processing-service"))
			.findFirst()
			.ifPresent((processing) -> text.append(String.format("       curl -s %s %s/actuator/streamingprogress%n",
					keyHeader, processing.process().managementUrl())));
		text.append(String.format(
				"       curl -i %s -H 'Content-Type: application/json' "
						+ "-d '{\"sensorId\":\"pump-1\",\"value\":42,\"timestamp\":\"%s\"}' %s/api/v1/events%n",
				keyHeader, Instant.now().truncatedTo(ChronoUnit.SECONDS), apiUrl("ingest-service")));
		text.append(String.format("  Press Ctrl-C to stop.%n"));
		System.out.println(text);
	}

	private String apiUrl(String service) {
		return this.services.stream()
			.filter((supervisor) -> supervisor.name().equals(service))
			.findFirst()
			.orElseThrow()
			.process()
			.apiUrl();
	}

	private void reportWhileRunning() throws InterruptedException {
		while (true) {
			Thread.sleep(Duration.ofMinutes(1).toMillis());
			this.running.stream()
				.filter(TelemetrySimulator.class::isInstance)
				.map(TelemetrySimulator.class::cast)
				.forEach((simulator) -> logger.info("Simulator: {} events accepted, {} failed posts",
						simulator.eventsAccepted(), simulator.failedPosts()));
		}
	}

	/**
	 * Stop in reverse order of start: simulator, services, receiver, broker. No service
	 * is restarted once this began, even one that dies while the others are being stopped
	 * (Ctrl-C reaches the services too).
	 */
	synchronized void stop() {
		this.stopping = true;
		this.running.stream()
			.filter(ServiceSupervisor.class::isInstance)
			.map(ServiceSupervisor.class::cast)
			.forEach(ServiceSupervisor::stopRestarting);
		for (int i = this.running.size() - 1; i >= 0; i--) {
			AutoCloseable part = this.running.get(i);
			try {
				part.close();
			}
			catch (Exception ex) {
				logger.warn("Could not stop {} cleanly: {}", part, ex.toString());
			}
		}
		this.running.clear();
		System.out.println("Millrace stopped.");
	}

	synchronized boolean isStopping() {
		return this.stopping;
	}

	/**
	 * Remember a started part so that {@link #stop()} stops it; if stopping began
	 * meanwhile, stop it now.
	 */
	private synchronized <T extends AutoCloseable> T track(T part) {
		if (this.stopping) {
			try {
				part.close();
			}
			catch (Exception ex) {
				logger.warn("Could not stop {} cleanly: {}", part, ex.toString());
			}
			throw new IllegalStateException("Millrace is stopping");
		}
		this.running.add(part);
		return part;
	}

	private RestartBackoff restartBackoff() {
		return new RestartBackoff(this.settings.duration("supervision.backoff.initial"),
				this.settings.duration("supervision.backoff.max"),
				this.settings.duration("supervision.backoff.reset-after"));
	}

	/**
	 * What tells serving-api where the dashboard's vital signs come from: every other
	 * service's Prometheus scrape on its management port, by its short name
	 * ({@code ingest-service} is {@code ingest}).
	 * @param managementPorts the services' management ports by service name
	 * @return serving-api's {@code millrace.serving.vitals.sources.*} properties
	 */
	public static Map<String, String> vitalsSources(Map<String, Integer> managementPorts) {
		Map<String, String> properties = new LinkedHashMap<>();
		managementPorts.forEach((service, port) -> {
			if (!service.equals("serving-api")) {
				properties.put("millrace.serving.vitals.sources." + service.replaceFirst("-service$", ""),
						"http://127.0.0.1:" + port + "/actuator/prometheus");
			}
		});
		return properties;
	}

	/**
	 * What tells serving-api to answer series queries older than its hot store from
	 * lakehouse-service's Gold table.
	 * @param lakehouseApiPort lakehouse-service's API port
	 * @param apiKey a key with scope {@code read} there
	 * @return serving-api's {@code millrace.serving.history.*} properties
	 */
	public static Map<String, String> historySource(int lakehouseApiPort, String apiKey) {
		return Map.of("millrace.serving.history.url", "http://127.0.0.1:" + lakehouseApiPort,
				"millrace.serving.history.api-key", apiKey);
	}

	/**
	 * Where lakehouse-service writes its Delta tables in the local run.
	 * @param dataDir the launcher's data directory ({@code .millrace})
	 * @return the tables' root directory
	 */
	static Path lakehouseRoot(Path dataDir) {
		return dataDir.resolve("lakehouse");
	}

	private Path serviceJar(String service) {
		return this.home.resolve(service).resolve("target").resolve(service + "-exec.jar");
	}

	private static synchronized void appendLine(Path file, String line) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
