package io.millrace.benchmarks.broker;

import java.util.concurrent.CountDownLatch;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The peer topology in a JVM of its own, as Millrace runs in its own: both start cold in
 * every round, neither shares a heap or a JIT with the broker. Runs until killed.
 * <p>
 * {@code java -cp benchmarks.jar io.millrace.benchmarks.broker.KafkaStreamsPeer <bootstrap> <application-id> <input> <output> <guarantee>}
 */
public final class KafkaStreamsPeer {

	private KafkaStreamsPeer() {
	}

	public static void main(String[] args) throws InterruptedException {
		KafkaStreams streams = KafkaStreamsWindows.build(args[0], args[1], args[2], args[3], args[4]);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			streams.close();
			stopped.countDown();
		}));
		streams.start();
		stopped.await();
	}

}
