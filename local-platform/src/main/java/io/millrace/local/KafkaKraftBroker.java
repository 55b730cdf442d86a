package io.millrace.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker running in this JVM in KRaft mode (one node that is both
 * broker and controller), with its log in a directory of our choosing.
 * <p>
 * Starting again on the same directory and port restarts the same cluster with its data,
 * which is what tests that stop and restart the broker rely on.
 */
public final class KafkaKraftBroker implements AutoCloseable {

	private static final int NODE_ID = 1;

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaRaftServer server;

	private final int port;

	private int saslSslPort;

	private volatile boolean running = true;

	private Path temporaryDir;

	private KafkaKraftBroker(KafkaRaftServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Start a broker on a free port in a temporary directory that is deleted on
	 * {@link #close()}, with the given topics: the shape every integration test needs.
	 * @param partitionsByTopic topics to create, with their partition counts
	 * @return the running broker
	 */
	public static KafkaKraftBroker startTemporary(Map<String, Integer> partitionsByTopic) {
		return startTemporary(0, partitionsByTopic);
	}

	/**
	 * Start a broker on the given port in a temporary directory that is deleted on
	 * {@link #close()}, with the given topics.
	 * @param port the client port; 0 picks a free one
	 * @param partitionsByTopic topics to create, with their partition counts
	 * @return the running broker
	 */
	public static KafkaKraftBroker startTemporary(int port, Map<String, Integer> partitionsByTopic) {
		try {
			Path dir = Files.createTempDirectory("millrace-kafka-");
			KafkaKraftBroker broker = start(dir, port);
			broker.temporaryDir = dir;
			broker.createTopics(partitionsByTopic);
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a broker, formatting {@code dataDir} on first use.
	 * @param dataDir where the log and metadata live
	 * @param port the client port; 0 picks a free one
	 * @return the running broker
	 */
	public static KafkaKraftBroker start(Path dataDir, int port) {
		return start(dataDir, port, null);
	}

	/**
	 * Start a broker on a free port in a temporary directory with a second listener,
	 * {@code SASL_SSL} with the {@code PLAIN} mechanism: the way Event Hubs' Kafka
	 * endpoint is reached with a connection string, to test clients' TLS and SASL
	 * settings.
	 * @param partitionsByTopic topics to create, with their partition counts
	 * @param listener the listener's certificate and its one user
	 * @return the running broker; {@link #saslSslBootstrapServers()} names the listener
	 */
	public static KafkaKraftBroker startTemporaryWithSaslSsl(Map<String, Integer> partitionsByTopic,
			SaslSslListener listener) {
		try {
			Path dir = Files.createTempDirectory("millrace-kafka-");
			KafkaKraftBroker broker = start(dir, 0, listener);
			broker.temporaryDir = dir;
			broker.createTopics(partitionsByTopic);
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static KafkaKraftBroker start(Path dataDir, int port, SaslSslListener saslSsl) {
		try {
			Files.createDirectories(dataDir);
			int controllerPort = controllerPort(dataDir);
			int clientPort = port;
			// The OS may hand out the same free port twice in a row; the two listeners
			// need two.
			while (clientPort == 0 || clientPort == controllerPort) {
				clientPort = FreePorts.next();
			}
			Properties props = brokerProperties(dataDir, clientPort, controllerPort);
			int saslSslPort = 0;
			if (saslSsl != null) {
				while (saslSslPort == 0 || saslSslPort == controllerPort || saslSslPort == clientPort) {
					saslSslPort = FreePorts.next();
				}
				saslSsl.addTo(props, saslSslPort);
			}
			KafkaConfig config = new KafkaConfig(props, false);
			format(dataDir);
			KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
			server.startup();
			KafkaKraftBroker broker = new KafkaKraftBroker(server, clientPort);
			broker.saslSslPort = saslSslPort;
			broker.awaitReady();
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Properties brokerProperties(Path dataDir, int clientPort, int controllerPort) {
		Properties props = new Properties();
		props.put("process.roles", "broker,controller");
		props.put("node.id", String.valueOf(NODE_ID));
		props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
		props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
		props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
		props.put("controller.listener.names", "CONTROLLER");
		props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.put("inter.broker.listener.name", "PLAINTEXT");
		props.put("log.dirs", logDir(dataDir));
		props.put("num.partitions", "1");
		props.put("offsets.topic.replication.factor", "1");
		props.put("offsets.topic.num.partitions", "4");
		props.put("transaction.state.log.replication.factor", "1");
		props.put("transaction.state.log.min.isr", "1");
		props.put("group.initial.rebalance.delay.ms", "0");
		props.put("auto.create.topics.enable", "false");
		// A laptop broker: keep a day of data and small segments so the folder stays
		// small.
		props.put("log.retention.hours", "24");
		props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
		return props;
	}

	private static void format(Path dataDir) {
		String logDir = logDir(dataDir);
		if (Files.exists(Path.of(logDir, "meta.properties"))) {
			return;
		}
		try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
			new Formatter().setPrintStream(quiet)
				.setNodeId(NODE_ID)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(logDir))
				.setMetadataLogDirectory(logDir)
				.setControllerListenerName("CONTROLLER")
				.setSupportedFeatures(Features.PRODUCTION_FEATURES)
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not format Kafka storage in " + logDir, ex);
		}
	}

	private static String logDir(Path dataDir) {
		return dataDir.resolve("kraft-log").toAbsolutePath().toString();
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
		try (Admin admin = admin()) {
			while (true) {
				try {
					admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
					return;
				}
				catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("Kafka broker on port " + this.port + " did not become ready",
								ex);
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the broker", ex);
		}
	}

	/**
	 * Where clients connect.
	 * @return {@code host:port}
	 */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Where clients of the {@code SASL_SSL} listener connect, by the name its certificate
	 * is for.
	 * @return {@code localhost:port}
	 * @throws IllegalStateException when the broker was started without that listener
	 */
	public String saslSslBootstrapServers() {
		if (this.saslSslPort == 0) {
			throw new IllegalStateException("This broker has no SASL_SSL listener");
		}
		return "localhost:" + this.saslSslPort;
	}

	/**
	 * The client port, which a restart on the same directory should reuse.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Create topics that do not exist yet; existing ones are left as they are.
	 * @param partitionsByTopic topic name to partition count
	 */
	public void createTopics(Map<String, Integer> partitionsByTopic) {
		List<NewTopic> topics = new ArrayList<>();
		partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
		try (Admin admin = admin()) {
			Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			topics.removeIf((topic) -> existing.contains(topic.name()));
			if (!topics.isEmpty()) {
				admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Could not create topics " + partitionsByTopic.keySet(), ex);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topics", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("Timed out creating topics " + partitionsByTopic.keySet(), ex);
		}
	}

	/**
	 * An admin client for this broker; the caller closes it.
	 * @return the client
	 */
	public Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				10000));
	}

	/** Stop the broker and wait until it released its ports and files. */
	@Override
	public synchronized void close() {
		if (this.running) {
			this.running = false;
			this.server.shutdown();
			this.server.awaitShutdown();
			if (this.temporaryDir != null) {
				deleteRecursively(this.temporaryDir);
			}
		}
	}

	private static void deleteRecursively(Path dir) {
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary directory is harmless.
		}
	}

	/**
	 * A {@code SASL_SSL} listener: TLS with a PEM certificate and key, and SASL
	 * {@code PLAIN} with one user.
	 *
	 * @param certificatePem the listener's certificate (for {@code localhost}), PEM
	 * @param privateKeyPem its PKCS#8 private key, PEM
	 * @param user the one user name clients authenticate as
	 * @param password its password
	 */
	public record SaslSslListener(String certificatePem, String privateKeyPem, String user, String password) {

		void addTo(Properties props, int port) {
			props.put("listeners", props.getProperty("listeners") + ",SASL_SSL://127.0.0.1:" + port);
			props.put("advertised.listeners",
					props.getProperty("advertised.listeners") + ",SASL_SSL://localhost:" + port);
			props.put("listener.security.protocol.map",
					props.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
			props.put("listener.name.sasl_ssl.ssl.keystore.type", "PEM");
			props.put("listener.name.sasl_ssl.ssl.keystore.certificate.chain", this.certificatePem);
			props.put("listener.name.sasl_ssl.ssl.keystore.key", this.privateKeyPem);
			props.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN");
			props.put("sasl.enabled.mechanisms", "PLAIN");
			props.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
					"org.apache.kafka.common.security.plain.PlainLoginModule required user_" + this.user + "=\""
							+ this.password.replace("\"", "\\\"") + "\";");
		}

	}

	/**
	 * The controller keeps its port across restarts of the same cluster, because the
	 * quorum's voter address is part of the cluster's identity.
	 */
	private static int controllerPort(Path dataDir) throws IOException {
		Path file = dataDir.resolve("controller.port");
		if (Files.exists(file)) {
			return Integer.parseInt(Files.readString(file).trim());
		}
		int port = FreePorts.next();
		Files.writeString(file, String.valueOf(port));
		return port;
	}

}
