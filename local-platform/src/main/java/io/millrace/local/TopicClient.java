package io.millrace.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records to and reads records from topics of a broker, the way tests and
 * operators look at what the services exchanged. Keys and values are bytes; keys are
 * UTF-8 sensor ids.
 */
public final class TopicClient implements AutoCloseable {

	private final String bootstrapServers;

	private final KafkaProducer<byte[], byte[]> producer;

	/**
	 * A client.
	 * @param bootstrapServers the broker
	 */
	public TopicClient(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	/**
	 * Write one record and wait for the broker's acknowledgement.
	 * @param topic the topic
	 * @param key the key, or {@code null}
	 * @param value the value
	 */
	public void send(String topic, String key, byte[] value) {
		byte[] keyBytes = (key != null) ? key.getBytes(StandardCharsets.UTF_8) : null;
		try {
			this.producer.send(new ProducerRecord<>(topic, keyBytes, value)).get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not write to " + topic, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * Read a topic from the beginning until {@code done} holds for what was read, or the
	 * timeout passes.
	 * @param topic the topic
	 * @param done when to stop reading
	 * @param timeout the longest to read
	 * @return every record read, in per-partition order
	 */
	public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic,
			Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"millrace-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!done.test(records) && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * Read a topic from the beginning for the given time.
	 * @param topic the topic
	 * @param duration how long to read
	 * @return every record read
	 */
	public List<ConsumerRecord<byte[], byte[]>> readFor(String topic, Duration duration) {
		return readUntil(topic, (records) -> false, duration);
	}

	/**
	 * A record's key as text.
	 * @param record the record
	 * @return the UTF-8 key, or {@code null} when it has none
	 */
	public static String key(ConsumerRecord<byte[], byte[]> record) {
		return (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * A record's value as text.
	 * @param record the record
	 * @return the UTF-8 value
	 */
	public static String value(ConsumerRecord<byte[], byte[]> record) {
		return new String(record.value(), StandardCharsets.UTF_8);
	}

	/**
	 * The last value of a header, as text.
	 * @param record the record
	 * @param name the header name
	 * @return the UTF-8 value, or {@code null} when the header is absent
	 */
	public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(5));
	}

}
