package io.millrace.benchmarks.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The peer: the Kafka Streams topology an expert would write for what the Millrace
 * pipeline computes from the same JSON events — per sensor, 1-minute tumbling and
 * 5-minute/1-minute hopping windows of count, sum, min and max on event time (parsed from
 * the JSON, as Millrace does), final results only.
 * <ul>
 * <li>The input is already keyed by sensorId, so the readings are extracted with
 * {@code flatMapValues} and grouped by the existing key: no repartition topic.</li>
 * <li>The grace is {@link BenchmarkWindows#GRACE}, Millrace's max out-of-orderness plus
 * its allowed lateness, so it keeps exactly the records Millrace keeps: both drop a
 * reading for a window once the partition's newest event time is at least
 * {@code end + grace}, and both finalise the window at that point.</li>
 * <li>Final results only ({@code EmitStrategy.onWindowClose()}), as Millrace emits
 * without early results: one record per window, counted by the benchmark.</li>
 * <li>Event time and the value are read with Jackson's streaming parser (no tree), the
 * cheapest JSON reading Kafka Streams can be given; it does not validate the contract,
 * which Millrace does.</li>
 * <li>In-memory window stores with changelogs, one stream thread, the processing
 * guarantee chosen by the caller (the fair match of Millrace's checkpoints is
 * {@code exactly_once_v2}, see docs/benchmarks.md).</li>
 * </ul>
 */
final class KafkaStreamsWindows {

	private static final JsonFactory JSON = new JsonFactory();

	private KafkaStreamsWindows() {
	}

	static KafkaStreams build(String bootstrapServers, String applicationId, String input, String output,
			String guarantee) {
		StreamsBuilder builder = new StreamsBuilder();
		KStream<String, Double> readings = builder
			.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withTimestampExtractor(eventTime()))
			.flatMapValues((value) -> {
				double reading = readValue(value);
				return Double.isNaN(reading) ? List.<Double>of() : List.of(reading);
			});
		windows(readings, output, true);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
		config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
		// The same interval as Millrace's checkpoints (exactly-once defaults to 100 ms).
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
		// A record cache large enough for every open window of the run (10k sensors x 6).
		config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
		config.put(StreamsConfig.STATE_DIR_CONFIG,
				System.getProperty("java.io.tmpdir") + "/millrace-bench-streams-" + applicationId);
		config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
		// Emit-on-window-close checks for closed windows at most once a second of wall
		// time by default, and only when a record arrives: the windows closed by the last
		// records of a bounded input would never be emitted. Checked on every record
		// instead (a range scan of the in-memory store from the last close time).
		config.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION,
				Long.getLong("millrace.bench.streams-emit-interval-ms", 0));
		config.put(StreamsConfig.producerPrefix("linger.ms"), 20);
		config.put(StreamsConfig.producerPrefix("batch.size"), 256 * 1024);
		return new KafkaStreams(builder.build(), config);
	}

	/**
	 * The windowed aggregation itself, from readings keyed by sensorId (event time as the
	 * record timestamp) to "kind start count sum min max" results; shared with the
	 * engine-alone peer ({@link TestDriverWindows}).
	 * @param changelogs whether the window stores have changelog topics (off where there
	 * is no broker and nothing to recover)
	 */
	static void windows(KStream<String, Double> readings, String output, boolean changelogs) {
		KGroupedStream<String, Double> grouped = readings.groupByKey(Grouped.with(Serdes.String(), Serdes.Double()));
		window(grouped, TimeWindows.ofSizeAndGrace(BenchmarkWindows.TUMBLING_SIZE, BenchmarkWindows.GRACE), "tumbling",
				output, changelogs);
		window(grouped, TimeWindows.ofSizeAndGrace(BenchmarkWindows.HOPPING_SIZE, BenchmarkWindows.GRACE)
			.advanceBy(BenchmarkWindows.HOPPING_ADVANCE), "hopping", output, changelogs);
	}

	private static void window(KGroupedStream<String, Double> readings, TimeWindows windows, String kind, String output,
			boolean changelogs) {
		Materialized<String, Stats, WindowStore<Bytes, byte[]>> store = Materialized
			.<String, Stats>as(Stores.inMemoryWindowStore(kind + "-store",
					Duration.ofMillis(windows.size()).plus(BenchmarkWindows.GRACE), Duration.ofMillis(windows.size()),
					false))
			.withKeySerde(Serdes.String())
			.withValueSerde(Stats.SERDE);
		readings.windowedBy(windows)
			.emitStrategy(EmitStrategy.onWindowClose())
			.aggregate(Stats::new, (key, value, stats) -> stats.add(value),
					changelogs ? store : store.withLoggingDisabled())
			.toStream()
			.map((windowed, stats) -> org.apache.kafka.streams.KeyValue.pair(windowed.key(),
					kind + " " + windowed.window().start() + " " + stats.count + " " + stats.sum + " " + stats.min + " "
							+ stats.max))
			.to(output, Produced.with(Serdes.String(), Serdes.String()));
	}

	private static TimestampExtractor eventTime() {
		return (record, partitionTime) -> {
			String timestamp = readText((byte[]) record.value(), "timestamp");
			return (timestamp != null) ? Instant.parse(timestamp).toEpochMilli() : partitionTime;
		};
	}

	/** The top-level field's text, or null. */
	private static String readText(byte[] json, String field) {
		try (JsonParser parser = JSON.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken token = parser.nextToken();
				if (field.equals(name) && token == JsonToken.VALUE_STRING) {
					return parser.getText();
				}
				parser.skipChildren();
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** The top-level {@code value}, or NaN. */
	private static double readValue(byte[] json) {
		try (JsonParser parser = JSON.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return Double.NaN;
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				JsonToken token = parser.nextToken();
				if ("value".equals(name) && token.isNumeric()) {
					return parser.getDoubleValue();
				}
				parser.skipChildren();
			}
			return Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
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
