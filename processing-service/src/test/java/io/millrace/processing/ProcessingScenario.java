package io.millrace.processing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import io.millrace.local.FreePorts;
import io.millrace.local.ServiceProcess;
import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One way of running processing-service's exec jar against a test broker: its consumer
 * group, output topics ({@code <name>-aggregates}, {@code -late}, {@code -deadletter})
 * and checkpoints, so several scenarios read the same input and write apart. Shared by
 * the tests that kill and restart instances.
 */
final class ProcessingScenario {

	static final Path JAR = Path.of("target", "processing-service-exec.jar");

	final String name;

	private final Path work;

	private final String bootstrapServers;

	private final Map<String, String> extraProperties;

	private final List<Path> logs = new ArrayList<>();

	private final List<ServiceProcess> launched = new ArrayList<>();

	ProcessingScenario(Path work, String bootstrapServers, String name) {
		this(work, bootstrapServers, name, Map.of());
	}

	/**
	 * @param work where logs and local checkpoints go
	 * @param bootstrapServers the broker
	 * @param name the scenario's consumer group and topic prefix
	 * @param extraProperties properties on top of the scenario's own (storage, timing)
	 */
	ProcessingScenario(Path work, String bootstrapServers, String name, Map<String, String> extraProperties) {
		this.work = work;
		this.bootstrapServers = bootstrapServers;
		this.name = name;
		this.extraProperties = extraProperties;
	}

	ServiceProcess launch(int member) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", this.bootstrapServers);
		properties.put("spring.cloud.stream.bindings.processTelemetry-in-0.group", this.name);
		properties.put("spring.cloud.stream.bindings.aggregates.destination", this.name + "-aggregates");
		properties.put("spring.cloud.stream.bindings.late.destination", this.name + "-late");
		properties.put("spring.cloud.stream.bindings.deadletter.destination", this.name + "-deadletter");
		properties.put("millrace.processing.checkpoint.directory",
				this.work.resolve(this.name + "-checkpoints").toString());
		properties.put("logging.level.io.millrace.runtime", "DEBUG");
		// Only event time decides: no partition is ever idle in these runs.
		properties.put("millrace.processing.idle-timeout", "1h");
		properties.put("millrace.processing.allowed-lateness", "10s");
		properties.put("millrace.processing.early-emission-interval", "2s");
		properties.put("millrace.processing.windows[0].kind", "tumbling");
		properties.put("millrace.processing.windows[0].size", "1m");
		properties.put("millrace.processing.windows[1].kind", "hopping");
		properties.put("millrace.processing.windows[1].size", "2m");
		properties.put("millrace.processing.windows[1].advance", "1m");
		properties.put("millrace.processing.windows[2].kind", "session");
		properties.put("millrace.processing.windows[2].gap", "20s");
		properties.putAll(this.extraProperties);
		Path log = this.work.resolve(this.name + "-" + member + "-" + this.logs.size() + ".log");
		this.logs.add(log);
		ServiceProcess process = ServiceProcess.launch(this.name, JAR, FreePorts.next(), FreePorts.next(), properties,
				ServiceProcess.DEFAULT_JVM_OPTIONS, log);
		this.launched.add(process);
		return process;
	}

	/** Whatever is still running, also after a failure. */
	void stopAll() {
		this.launched.forEach(ServiceProcess::close);
	}

	/**
	 * Wait until the group has committed every record of the input, then until the
	 * checkpoint's results (published before that commit) have landed.
	 * @param timeout how long to wait
	 */
	void awaitCaughtUp(Duration timeout) throws InterruptedException, ExecutionException {
		Map<TopicPartition, Long> ends = endOffsets();
		try {
			Awaitility.await(this.name + " caught up")
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> committedAtLeast(ends));
		}
		catch (ConditionTimeoutException ex) {
			this.launched.forEach(ServiceProcess::dumpThreads);
			throw new AssertionError(this.name + " did not catch up within " + timeout + " (committed "
					+ committedOffsets() + ", end " + ends + "); logs: " + this.logs, ex);
		}
		// Results go out at the checkpoint whose commit this is; let them land.
		Thread.sleep(3000);
	}

	/**
	 * @param offsets an offset per partition
	 * @return whether the group's committed offset is at or past each
	 */
	boolean committedAtLeast(Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
		return offsets.entrySet()
			.stream()
			.allMatch((end) -> committed.get(end.getKey()) != null
					&& committed.get(end.getKey()).offset() >= end.getValue());
	}

	Map<TopicPartition, Long> endOffsets() throws InterruptedException, ExecutionException {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		try (Admin admin = admin()) {
			int partitions = admin.describeTopics(List.of(Topics.TELEMETRY_RAW))
				.allTopicNames()
				.get()
				.get(Topics.TELEMETRY_RAW)
				.partitions()
				.size();
			for (int partition = 0; partition < partitions; partition++) {
				latest.put(new TopicPartition(Topics.TELEMETRY_RAW, partition), OffsetSpec.latest());
			}
			return admin.listOffsets(latest)
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
	}

	Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
		try (Admin admin = admin()) {
			return admin.listConsumerGroupOffsets(this.name).partitionsToOffsetAndMetadata().get();
		}
		catch (InterruptedException | ExecutionException ex) {
			return Map.of();
		}
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				5_000));
	}

	long restoredPartitions() {
		return this.logs.stream()
			.mapToLong((log) -> read(log).lines().filter((line) -> line.contains("Restored partition")).count())
			.sum();
	}

	String logOf(int member) {
		return this.logs.stream()
			.filter((log) -> log.getFileName().toString().startsWith(this.name + "-" + member + "-"))
			.map(ProcessingScenario::read)
			.collect(Collectors.joining("\n"));
	}

	List<Path> logs() {
		return this.logs;
	}

	private static String read(Path log) {
		try {
			return Files.exists(log) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
