package io.millrace.benchmarks.broker;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.json.MillraceJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The peer: a Kafka Streams topology computing what the Millrace pipeline computes from
 * the same JSON events: per (sensor, metric) 1-minute tumbling and 5-minute/1-minute
 * hopping windows of count, sum, min and max, on event time (parsed from the JSON, as
 * Millrace does), with 5 s grace, in-memory window stores, at-least-once.
 */
final class KafkaStreamsWindows {

	private KafkaStreamsWindows() {
	}

	static KafkaStreams build(String bootstrapServers, String applicationId, String input, String output) {
		ObjectMapper json = MillraceJson.mapper();
		StreamsBuilder builder = new StreamsBuilder();
		KGroupedStream<String, Double> readings = builder
			.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withTimestampExtractor(eventTime(json)))
			.flatMap((key, value) -> {
				try {
					JsonNode event = json.readTree(value);
					return java.util.List
						.of(KeyValue.pair(event.get("sensorId").asText() + "|value", event.get("value").asDouble()));
				}
				catch (java.io.IOException ex) {
					return java.util.List.of();
				}
			})
			.groupByKey(Grouped.with(Serdes.String(), Serdes.Double()));
		window(readings, TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(5)), "tumbling", output);
		window(readings, TimeWindows.ofSizeAndGrace(Duration.ofMinutes(5), Duration.ofSeconds(5))
			.advanceBy(Duration.ofMinutes(1)), "hopping", output);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
		config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
		config.put(StreamsConfig.STATE_DIR_CONFIG,
				System.getProperty("java.io.tmpdir") + "/millrace-bench-streams-" + applicationId);
		config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
		return new KafkaStreams(builder.build(), config);
	}

	private static void window(KGroupedStream<String, Double> readings, TimeWindows windows, String kind,
			String output) {
		readings.windowedBy(windows)
			.aggregate(Stats::new, (key, value, stats) -> stats.add(value),
					Materialized
						.<String, Stats>as(Stores.inMemoryWindowStore(kind + "-store", Duration.ofMinutes(10),
								Duration.ofMillis(windows.size()), false))
						.withKeySerde(Serdes.String())
						.withValueSerde(Stats.SERDE))
			.toStream()
			.map((windowed, stats) -> KeyValue.pair(windowed.key(),
					kind + " " + windowed.window().start() + " " + stats.count + " " + stats.sum + " " + stats.min + " "
							+ stats.max))
			.to(output, Produced.with(Serdes.String(), Serdes.String()));
	}

	private static TimestampExtractor eventTime(ObjectMapper json) {
		return (record, partitionTime) -> {
			try {
				JsonNode event = json.readTree((byte[]) record.value());
				return java.time.Instant.parse(event.get("timestamp").asText()).toEpochMilli();
			}
			catch (Exception ex) {
				return partitionTime;
			}
		};
	}

	/** count, sum, min, max. */
	static final class Stats {

		static final Serde<Stats> SERDE = Serdes.serdeFrom(serializer(), deserializer());

		long count;

		double sum;

		double min = Double.POSITIVE_INFINITY;

		double max = Double.NEGATIVE_INFINITY;

		Stats add(double value) {
			this.count++;
			this.sum += value;
			this.min = Math.min(this.min, value);
			this.max = Math.max(this.max, value);
			return this;
		}

		private static Serializer<Stats> serializer() {
			return (topic, stats) -> ByteBuffer.allocate(32)
				.putLong(stats.count)
				.putDouble(stats.sum)
				.putDouble(stats.min)
				.putDouble(stats.max)
				.array();
		}

		private static Deserializer<Stats> deserializer() {
			return (topic, bytes) -> {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				Stats stats = new Stats();
				stats.count = buffer.getLong();
				stats.sum = buffer.getDouble();
				stats.min = buffer.getDouble();
				stats.max = buffer.getDouble();
				return stats;
			};
		}

	}

}
