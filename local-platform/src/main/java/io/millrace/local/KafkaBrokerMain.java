package io.millrace.local;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local run's Kafka broker alone: the in-process KRaft broker with the platform's
 * topics ({@code local-platform.properties}), in a temporary directory deleted when the
 * process is stopped (SIGTERM or Ctrl-C). For scripts that run the services some other
 * way, such as {@code deploy/images/build-and-run.sh}, which runs them as containers:
 *
 * <pre>
 * java -cp local-platform/target/local-platform-exec.jar -Dloader.main=io.millrace.local.KafkaBrokerMain \
 *     org.springframework.boot.loader.launch.PropertiesLauncher [--kafka.port=9092] [--topics.telemetry-raw.partitions=8]
 * </pre>
 *
 * {@code --kafka.port=0} picks a free port. Once the topics exist it prints one line,
 * {@code Kafka broker ready on 127.0.0.1:<port> ...}, on standard output.
 */
public final class KafkaBrokerMain {

	private static final Logger logger = LoggerFactory.getLogger(KafkaBrokerMain.class);

	private KafkaBrokerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		LocalSettings settings;
		KafkaKraftBroker broker;
		Map<String, Integer> topics;
		try {
			settings = LocalSettings.load(args);
			topics = settings.topicPartitions();
			broker = KafkaKraftBroker.startTemporary(settings.integer("kafka.port"), topics);
		}
		catch (RuntimeException ex) {
			logger.error("The Kafka broker did not start: {}", ex.getMessage(), ex);
			System.exit(1);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			System.out.println("Kafka broker stopped.");
			stopped.countDown();
		}, "millrace-broker-shutdown"));
		System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " with topics " + topics);
		stopped.await();
	}

}
