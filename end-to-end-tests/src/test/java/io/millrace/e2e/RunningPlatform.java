package io.millrace.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalApiKey;
import io.millrace.local.LocalPlatform;
import io.millrace.local.LocalSettings;
import io.millrace.local.ServiceProcess;
import io.millrace.local.WebhookReceiver;
import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The whole platform as a user runs it, shared by every end-to-end test class of the test
 * JVM: a real Kafka broker (KRaft, in this JVM), the five services as separate JVMs
 * started from their executable jars with the launcher's key, and a real HTTP receiver
 * for the alert webhook that notes when each delivery arrived. The first class that asks
 * for it (a {@code RunningPlatform} parameter of a {@code @BeforeAll} method, with
 * {@code @ExtendWith(RunningPlatform.Resolver.class)}) starts it, which takes about a
 * minute; it stops after the last test.
 */
final class RunningPlatform implements ExtensionContext.Store.CloseableResource {

	static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	static final Path LOGS = Path.of("target", "e2e-logs");

	/**
	 * processing-service's tolerance for event times ahead of its clock: room for every
	 * test's {@link #nextEventTimeSlot() slot}.
	 */
	static final String MAX_CLOCK_SKEW = "2h";

	/** The first slot starts at the next minute after the platform started. */
	private final Instant firstSlot = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));

	private int slotsGiven;

	static final List<String> SERVICES = List.of("ingest-service", "processing-service", "serving-api",
			"alerting-service", "lakehouse-service");

	final String apiKey = ApiKeyHashes.generate();

	final KafkaKraftBroker broker;

	final WebhookReceiver receiver;

	/** Every webhook body with when it arrived, in arrival order. */
	final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	/** lakehouse-service's tables, fresh for the fresh broker. */
	final Path lakehouseRoot;

	private RunningPlatform() throws IOException {
		this.broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());
		// Fresh for the fresh broker: a checkpoint of an earlier run would skip its
		// offsets.
		Path checkpoints = Files.createTempDirectory("millrace-e2e-checkpoints");
		this.lakehouseRoot = Files.createTempDirectory("millrace-e2e-lakehouse");
		this.receiver = WebhookReceiver.start(0, (body) -> this.deliveries.add(new Delivery(Instant.now(), body)));
		Map<String, Integer> apiPorts = new LinkedHashMap<>();
		Map<String, Integer> managementPorts = new LinkedHashMap<>();
		for (String name : SERVICES) {
			apiPorts.put(name, FreePorts.next());
			managementPorts.put(name, FreePorts.next());
		}
		for (String name : SERVICES) {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.cloud.stream.kafka.binder.brokers", this.broker.bootstrapServers());
			properties.put("millrace.alerting.webhook.url", this.receiver.url());
			properties.put("millrace.alerting.delivery.allow-http", "true");
			properties.put("millrace.alerting.delivery.allow-list", "127.0.0.1");
			properties.put("millrace.processing.checkpoint.directory", checkpoints.toString());
			properties.put("millrace.processing.max-clock-skew", MAX_CLOCK_SKEW);
			properties.put("millrace.alerting.checkpoint.directory", checkpoints.toString());
			properties.put("millrace.lakehouse.root", this.lakehouseRoot.toString());
			// The dashboard's vital signs, wired as the launcher wires them.
			if (name.equals("serving-api")) {
				properties.putAll(LocalPlatform.vitalsSources(managementPorts));
				properties.putAll(LocalPlatform.historySource(apiPorts.get("lakehouse-service"), this.apiKey));
			}
			// The launcher's key, by hash, as the launcher gives it to every service.
			properties.putAll(LocalApiKey.apiProperties(this.apiKey));
			this.services.put(name,
					ServiceProcess.launch(name, REPOSITORY.resolve(name).resolve("target").resolve(name + "-exec.jar"),
							apiPorts.get(name), managementPorts.get(name), properties,
							ServiceProcess.DEFAULT_JVM_OPTIONS, LOGS.resolve(name + ".log")));
		}
		this.services.values().forEach((service) -> service.awaitReady(Duration.ofMinutes(3)));
	}

	private static RunningPlatform start() {
		try {
			return new RunningPlatform();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A stretch of event time of its own for a test that sends readings.
	 * processing-service's watermark is one for all partitions (the largest when every
	 * partition is idle, as they are between tests here), so a test's readings must come
	 * after every window an earlier test's readings closed: each slot starts 5 minutes
	 * after the previous one, and a test stays within its first 4 minutes (readings at
	 * most 240 s in). The slots run ahead of the wall clock, which
	 * {@link #MAX_CLOCK_SKEW} allows.
	 * @return the start of the slot, on a whole minute
	 */
	synchronized Instant nextEventTimeSlot() {
		return this.firstSlot.plus(Duration.ofMinutes(5L * this.slotsGiven++));
	}

	/**
	 * @param name a service
	 * @return its process
	 */
	ServiceProcess service(String name) {
		return this.services.get(name);
	}

	@Override
	public void close() {
		List<ServiceProcess> reversed = new ArrayList<>(this.services.values());
		Collections.reverse(reversed);
		reversed.forEach(ServiceProcess::close);
		this.receiver.close();
		this.broker.close();
	}

	/**
	 * One webhook delivery.
	 *
	 * @param receivedAt when the receiver had read its body
	 * @param body the body
	 */
	record Delivery(Instant receivedAt, String body) {
	}

	/**
	 * Hands the one platform to {@code @BeforeAll} methods, starting it on first use;
	 * JUnit closes it when the whole run ends.
	 */
	static final class Resolver implements ParameterResolver {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(RunningPlatform.class);

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
			return parameter.getParameter().getType() == RunningPlatform.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
			return context.getRoot()
				.getStore(NAMESPACE)
				.getOrComputeIfAbsent(RunningPlatform.class, (key) -> start(), RunningPlatform.class);
		}

	}

}
