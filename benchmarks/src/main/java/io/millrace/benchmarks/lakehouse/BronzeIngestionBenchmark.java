package io.millrace.benchmarks.lakehouse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.millrace.benchmarks.Stats;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.local.FreePorts;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.ServiceProcess;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Bronze ingestion (issue 13): lakehouse-service's executable jar (its own JVM, only its
 * Bronze function bound, every other setting its default) reading a pre-loaded
 * {@code telemetry-raw} of {@code events} records into {@code bronze/telemetry_events},
 * against the peer: Delta Kernel writing the same rows (same payloads, same source
 * partitions and offsets, built by the same {@link BronzeTable} mapper) straight from
 * memory, with one commit per source partition of the service's median rows per commit,
 * so the tables have the same partitioning and file sizes. That is the ceiling: no
 * broker, no decode, no Spring.
 * <p>
 * The service's rate is measured from the consumer group's first committed offset to its
 * commit of the whole topic (the sink commits offsets only after the table holds the
 * rows), so start-up is excluded. Its commit latency comes from its own log: one line per
 * Delta commit (the sink's debug line, turned on for this run), with rows and
 * milliseconds. Before a ratio is printed, both tables are read back with Kernel and must
 * hold the same number of rows, the same set of (partition, offset) and the same event
 * ids (compared as counts, sums and an order-free hash).
 * <p>
 * Run from the repository root after {@code ./mvnw -q install -DskipTests} and
 * {@code ./mvnw -q -f benchmarks/pom.xml package}:
 * {@code java -Xmx3g -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.lakehouse.BronzeIngestionBenchmark 1000000 1}
 * (events, rounds). {@code -Dmillrace.bench.lakehouse-jvm="-Xmx1g ..."} sets the
 * service's JVM options (JFR, say); {@code -Dmillrace.bench.lakehouse-props=k=v,k=v} adds
 * service properties.
 */
public final class BronzeIngestionBenchmark {

	private static final Path JAR = Path.of("lakehouse-service", "target", "lakehouse-service-exec.jar");

	private static final String RAW = "telemetry-raw";

	/** A group of its own per round, so each round reads the whole topic. */
	private static final String GROUP = "lakehouse-bronze-bench-";

	private static final int PARTITIONS = 4;

	private static final int SENSORS = 10_000;

	private static final Pattern COMMITTED = Pattern
		.compile("Committed (\\d+) rows of partition (\\S+) up to offset \\d+ as version \\d+ of \\S+ in (\\d+) ms");

	private BronzeIngestionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 1;
		Path work = Files.createDirectories(Path.of("benchmarks", "target", "lakehouse-bench"));
		System.out.printf("Bronze ingestion: %d events, %d partitions, %d rounds, %d cores, load %s%n", events,
				PARTITIONS, rounds, Runtime.getRuntime().availableProcessors(), loadAverage());
		List<Double> serviceRates = new ArrayList<>();
		List<Double> peerRates = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		try (KafkaKraftBroker broker = KafkaKraftBroker
			.startTemporary(Map.of(RAW, PARTITIONS, "telemetry-aggregates", PARTITIONS, "telemetry-deadletter", 1))) {
			Loaded loaded = preload(broker.bootstrapServers(), events);
			for (int round = 1; round <= rounds; round++) {
				Path root = work.resolve("round-" + System.currentTimeMillis());
				ServiceRun service = runService(broker, root.resolve("service"), events, round);
				int perCommit = (int) Math.max(1, Stats.median(service.commitRows()));
				PeerRun peer = runPeer(loaded, root.resolve("peer"), perCommit);
				Checksum serviceTable = Checksum.of(root.resolve("service"));
				Checksum peerTable = Checksum.of(root.resolve("peer"));
				System.out.printf("  round %d service table: %s%n  round %d peer table:    %s%n", round, serviceTable,
						round, peerTable);
				if (!serviceTable.equals(peerTable) || serviceTable.rows() != events) {
					throw new IllegalStateException("The tables differ (or miss rows); no ratio for round " + round);
				}
				double[] latency = service.commitMillis().stream().mapToDouble(Double::doubleValue).toArray();
				long[] sorted = Arrays.stream(latency).mapToLong((d) -> (long) d).sorted().toArray();
				System.out.printf(
						"  round %d: service %.0f events/s, %.0f per CPU-second of its JVM (%d commits, median %d rows, commit p50 %.0f ms p99 %.0f ms, %d data files) | "
								+ "peer %.0f events/s, %.0f per CPU-second of its thread (%d commits, %d data files; rows built in %.1f s, not timed) | ratio %.2f (per CPU-second %.2f)%n",
						round, service.rate(), service.perCpuSecond(), sorted.length, perCommit,
						Stats.percentile(sorted, 50), Stats.percentile(sorted, 99), serviceTable.files(), peer.rate(),
						peer.perCpuSecond(), peer.commits(), peerTable.files(), peer.buildSeconds(),
						service.rate() / peer.rate(), service.perCpuSecond() / peer.perCpuSecond());
				serviceRates.add(service.rate());
				peerRates.add(peer.rate());
				ratios.add(service.rate() / peer.rate());
			}
		}
		System.out.printf("Median: service %.0f events/s, peer (Kernel from memory) %.0f events/s, ratio %.2f%n",
				Stats.median(serviceRates), Stats.median(peerRates), Stats.median(ratios));
	}

	/** The payloads and where the broker put each. */
	private record Loaded(List<byte[]> payloads, int[] partitions, long[] offsets) {
	}

	private static Loaded preload(String bootstrapServers, int events) throws Exception {
		Random random = new Random(1);
		Instant start = Instant.parse("2026-12-02T00:00:00Z");
		long span = Duration.ofMinutes(10).toMillis();
		List<byte[]> payloads = new ArrayList<>(events);
		int[] partitions = new int[events];
		long[] offsets = new long[events];
		AtomicReference<Exception> failure = new AtomicReference<>();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < events; i++) {
				String sensor = "sensor-" + random.nextInt(SENSORS);
				Instant time = start.plusMillis(span * i / events);
				// The shape ingest-service publishes: an id, the ingestion time, two
				// measurements, a tag.
				String json = "{\"eventId\":\"0193" + String.format("%028x", i) + "\",\"sensorId\":\"" + sensor
						+ "\",\"timestamp\":\"" + time + "\",\"measurements\":{\"temperature\":"
						+ Math.round((20 + random.nextDouble() * 60) * 100) / 100.0 + ",\"pressure\":"
						+ Math.round((1 + random.nextDouble()) * 1000) / 1000.0 + "},\"tags\":{\"site\":\"plant-"
						+ (sensor.hashCode() & 7) + "\"},\"schemaVersion\":1,\"ingestedAt\":\"" + time.plusMillis(40)
						+ "\"}";
				byte[] payload = json.getBytes(StandardCharsets.UTF_8);
				payloads.add(payload);
				int index = i;
				producer.send(new ProducerRecord<>(RAW, sensor.getBytes(StandardCharsets.UTF_8), payload),
						(metadata, ex) -> {
							if (ex != null) {
								failure.set(ex);
							}
							else {
								partitions[index] = metadata.partition();
								offsets[index] = metadata.offset();
							}
						});
			}
			producer.flush();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		return new Loaded(payloads, partitions, offsets);
	}

	/** The service's rate, and each Delta commit's rows and milliseconds. */
	private record ServiceRun(double rate, double perCpuSecond, List<Double> commitRows, List<Double> commitMillis) {
	}

	private static ServiceRun runService(KafkaKraftBroker broker, Path root, int events, int round) throws Exception {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.stream.kafka.binder.brokers", broker.bootstrapServers());
		properties.put("spring.cloud.function.definition", "writeBronze");
		properties.put("spring.cloud.stream.bindings.writeBronze-in-0.group", GROUP + round);
		properties.put("millrace.lakehouse.root", root.toAbsolutePath().toString());
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.io.millrace.lakehouse.sink.DeltaSinkTask", "DEBUG");
		for (String pair : System.getProperty("millrace.bench.lakehouse-props", "").split(",")) {
			if (pair.contains("=")) {
				properties.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		}
		List<String> jvm = Arrays.asList(System.getProperty("millrace.bench.lakehouse-jvm", "-Xmx1g").split(" "));
		Path log = root.resolveSibling("lakehouse-round-" + round + ".log");
		Files.createDirectories(root);
		long started;
		long finished;
		Duration cpuAtStart = Duration.ZERO;
		Duration cpu;
		try (Admin admin = broker.admin();
				ServiceProcess service = ServiceProcess.launch("lakehouse-service", JAR, FreePorts.next(),
						FreePorts.next(), properties, jvm, log)) {
			service.awaitReady(Duration.ofMinutes(3));
			started = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
			while (true) {
				long committed = committed(admin, GROUP + round);
				long now = System.nanoTime();
				if (committed > 0 && started == 0) {
					started = now;
					cpuAtStart = service.cpuTime();
					// What was committed before the first observation is not timed.
					events -= (int) committed;
				}
				if (committed >= total(admin)) {
					finished = now;
					cpu = service.cpuTime().minus(cpuAtStart);
					break;
				}
				if (now > deadline || !service.isAlive()) {
					throw new IllegalStateException("Bronze did not catch up: " + committed + " of " + total(admin)
							+ " committed; log tail:\n" + service.logTail(40));
				}
				Thread.sleep(50);
			}
		}
		List<Double> rows = new ArrayList<>();
		List<Double> millis = new ArrayList<>();
		for (String line : Files.readAllLines(log)) {
			Matcher matcher = COMMITTED.matcher(line);
			if (matcher.find()) {
				rows.add(Double.parseDouble(matcher.group(1)));
				millis.add(Double.parseDouble(matcher.group(3)));
			}
		}
		return new ServiceRun(events / ((finished - started) / 1e9), events / (cpu.toNanos() / 1e9), rows, millis);
	}

	private static long committed(Admin admin, String group) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get();
		return offsets.entrySet()
			.stream()
			.filter((e) -> e.getKey().topic().equals(RAW) && e.getValue() != null)
			.mapToLong((e) -> e.getValue().offset())
			.sum();
	}

	private static long total(Admin admin) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
		for (int p = 0; p < PARTITIONS; p++) {
			latest.put(new TopicPartition(RAW, p), OffsetSpec.latest());
		}
		return admin.listOffsets(latest).all().get().values().stream().mapToLong((o) -> o.offset()).sum();
	}

	private record PeerRun(double rate, double perCpuSecond, int commits, double buildSeconds) {
	}

	/**
	 * The ceiling: the same rows, built beforehand by the service's own mapper, committed
	 * by the service's own writer, one commit per source partition of {@code perCommit}
	 * rows, partitions in turn (as the sink's flush goes).
	 */
	private static PeerRun runPeer(Loaded loaded, Path root, int perCommit) throws Exception {
		long buildStarted = System.nanoTime();
		BronzeTable bronze = new BronzeTable(false);
		List<List<Object[]>> byPartition = new ArrayList<>();
		for (int p = 0; p < PARTITIONS; p++) {
			byPartition.add(new ArrayList<>());
		}
		long now = System.currentTimeMillis() * 1000;
		for (int i = 0; i < loaded.payloads().size(); i++) {
			byte[] payload = loaded.payloads().get(i);
			TelemetryEvent event = MillraceJson.mapper().readValue(payload, TelemetryEvent.class);
			String partition = String.valueOf(loaded.partitions()[i]);
			byPartition.get(loaded.partitions()[i])
				.add(bronze.toRow(new SourceRecord<>(partition, loaded.offsets()[i], payload, event), now));
		}
		double buildSeconds = (System.nanoTime() - buildStarted) / 1e9;
		LocalTableStorage storage = new LocalTableStorage(root);
		DeltaTableWriter writer = new DeltaTableWriter(DefaultEngine.create(storage.fileIO()), storage,
				bronze.definition(), "bronze-ingestion-benchmark");
		writer.ensureTable();
		int offsetColumn = bronze.definition().schema().indexOf("source_offset");
		int[] next = new int[PARTITIONS];
		List<Optional<Long>> committed = new ArrayList<>();
		for (int p = 0; p < PARTITIONS; p++) {
			committed.add(Optional.empty());
		}
		int commits = 0;
		long started = System.nanoTime();
		long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
		boolean more = true;
		while (more) {
			more = false;
			for (int p = 0; p < PARTITIONS; p++) {
				List<Object[]> rows = byPartition.get(p);
				if (next[p] >= rows.size()) {
					continue;
				}
				List<Object[]> chunk = rows.subList(next[p], Math.min(rows.size(), next[p] + perCommit));
				long last = (Long) chunk.get(chunk.size() - 1)[offsetColumn];
				writer.append("millrace-bronze-p" + p, committed.get(p), last, chunk);
				committed.set(p, Optional.of(last));
				next[p] += chunk.size();
				commits++;
				more = true;
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted) / 1e9;
		return new PeerRun(loaded.payloads().size() / seconds, loaded.payloads().size() / cpuSeconds, commits,
				buildSeconds);
	}

	/**
	 * What a table holds, order-free: rows, distinct (partition, offset), the sum of
	 * offsets, a sum of event-id hashes, and its data files.
	 */
	private record Checksum(long rows, long distinctPositions, long offsetSum, long eventIdHash, long files) {

		static Checksum of(Path root) throws IOException {
			LocalTableStorage storage = new LocalTableStorage(root);
			BronzeTable bronze = new BronzeTable(false);
			DeltaTableReader reader = new DeltaTableReader(DefaultEngine.create(storage.fileIO()), storage,
					bronze.definition());
			List<Map<String, Object>> rows = reader.rows(List.of("event_id", "source_partition", "source_offset"),
					Optional.empty());
			java.util.Set<String> positions = new java.util.HashSet<>();
			long offsetSum = 0;
			long hash = 0;
			for (Map<String, Object> row : rows) {
				positions.add(row.get("source_partition") + "/" + row.get("source_offset"));
				offsetSum += (Long) row.get("source_offset");
				hash += mix(String.valueOf(row.get("event_id")).hashCode() * 31L
						+ String.valueOf(row.get("source_partition")).hashCode());
			}
			long files;
			try (var stream = Files.walk(root.resolve(BronzeTable.NAME))) {
				files = stream.filter((f) -> f.toString().endsWith(".parquet")).count();
			}
			return new Checksum(rows.size(), positions.size(), offsetSum, hash, files);
		}

		private static long mix(long value) {
			value ^= value >>> 33;
			value *= 0xff51afd7ed558ccdL;
			value ^= value >>> 33;
			return value;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Checksum that && this.rows == that.rows
					&& this.distinctPositions == that.distinctPositions && this.offsetSum == that.offsetSum
					&& this.eventIdHash == that.eventIdHash;
		}

		@Override
		public int hashCode() {
			return Long.hashCode(this.rows ^ this.offsetSum ^ this.eventIdHash);
		}

	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
