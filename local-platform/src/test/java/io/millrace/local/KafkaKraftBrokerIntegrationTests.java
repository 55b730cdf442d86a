package io.millrace.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaKraftBrokerIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void createsTopicsWithTheirPartitionsAndKeepsRecordsAcrossARestart() throws Exception {
		int port;
		try (KafkaKraftBroker broker = KafkaKraftBroker.start(this.dataDir, 0)) {
			port = broker.port();
			broker.createTopics(Map.of("telemetry-raw", 4, "alerts", 2));
			broker.createTopics(Map.of("telemetry-raw", 4));
			try (var admin = broker.admin()) {
				var topics = admin.describeTopics(List.of("telemetry-raw", "alerts")).allTopicNames().get();
				assertThat(topics.get("telemetry-raw").partitions()).hasSize(4);
				assertThat(topics.get("alerts").partitions()).hasSize(2);
			}
			try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
					broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
					new StringSerializer())) {
				producer.send(new ProducerRecord<>("alerts", "s1", "before restart")).get();
			}
		}
		try (KafkaKraftBroker broker = KafkaKraftBroker.start(this.dataDir, port)) {
			assertThat(readAll(broker, "alerts")).containsExactly("before restart");
		}
	}

	private static List<String> readAll(KafkaKraftBroker broker, String topic) {
		List<String> values = new ArrayList<>();
		try (var consumer = new KafkaConsumer<String, String>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, UUID.randomUUID().toString(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (values.isEmpty() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					values.add(record.value());
				}
			}
		}
		return values;
	}

}
