package io.millrace.benchmarks.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The transport floor: a plain {@link KafkaConsumer} (no group, every partition assigned,
 * starting at the end) on its own thread, noting when it sees each record whose key
 * matches. The time is {@link System#nanoTime()} when {@code poll} returned the record,
 * on the same clock as the receiver's and the load's.
 */
final class TopicWatcher implements AutoCloseable {

	/**
	 * @param nanos when the consumer's poll returned it
	 * @param key the record key (the sensor id)
	 * @param value the record value as text
	 * @param timestamp the record's timestamp (ms)
	 */
	record Seen(long nanos, String key, String value, long timestamp) {
	}

	private final KafkaConsumer<String, byte[]> consumer;

	private final Predicate<String> keys;

	private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

	private final CountDownLatch positioned = new CountDownLatch(1);

	private final Thread thread;

	private volatile boolean running = true;

	TopicWatcher(String bootstrapServers, String topic, Predicate<String> keys) {
		this.keys = keys;
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.CLIENT_ID_CONFIG,
						"bench-watcher-" + UUID.randomUUID(), ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
				new StringDeserializer(), new ByteArrayDeserializer());
		this.thread = new Thread(() -> run(topic), "watcher-" + topic);
		this.thread.setDaemon(true);
		this.thread.start();
		try {
			if (!this.positioned.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The watcher of " + topic + " was not positioned in 60 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void run(String topic) {
		try {
			List<TopicPartition> partitions = this.consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			this.consumer.assign(partitions);
			this.consumer.seekToEnd(partitions);
			partitions.forEach(this.consumer::position);
			this.positioned.countDown();
			while (this.running) {
				var records = this.consumer.poll(Duration.ofMillis(100));
				long now = System.nanoTime();
				for (ConsumerRecord<String, byte[]> record : records) {
					if (record.key() != null && this.keys.test(record.key())) {
						this.seen.add(new Seen(now, record.key(), new String(record.value(), StandardCharsets.UTF_8),
								record.timestamp()));
					}
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close(Duration.ofSeconds(5));
		}
	}

	List<Seen> seen() {
		return new ArrayList<>(this.seen);
	}

	void clear() {
		this.seen.clear();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.consumer.wakeup();
		this.thread.join(10_000);
	}

}
