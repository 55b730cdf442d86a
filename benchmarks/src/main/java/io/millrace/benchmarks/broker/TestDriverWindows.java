package io.millrace.benchmarks.broker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * The engine-alone peer: {@link KafkaStreamsWindows}' windowed aggregation (the same
 * windows, grace, emit-on-close and in-memory window stores as the through-the-broker
 * peer) run by Kafka Streams' {@link TopologyTestDriver}, without a broker. Readings go
 * in already parsed — key sensorId, value the reading, timestamp the event time — as the
 * engine-alone benchmark gives Millrace pre-built events; Kafka Streams still serializes
 * them to bytes at its source and in its stores, which is how it works.
 * <p>
 * One input partition: the driver runs one task. The stores have no changelogs (no
 * broker, nothing to recover; Millrace takes no checkpoints in that benchmark either) and
 * no record cache (the driver commits, so flushes, after every record).
 */
public final class TestDriverWindows implements AutoCloseable {

	private static final String INPUT = "readings";

	private static final String OUTPUT = "windows";

	private final TopologyTestDriver driver;

	private final TestInputTopic<String, Double> input;

	private final TestOutputTopic<String, String> output;

	public TestDriverWindows() {
		StreamsBuilder builder = new StreamsBuilder();
		KafkaStreamsWindows.windows(builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.Double())), OUTPUT,
				false);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "millrace-engine-peer");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
		// Closed windows are looked for on every record, as in the broker peer: otherwise
		// at most once a second of wall time.
		config.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
		this.driver = new TopologyTestDriver(builder.build(), config);
		this.input = this.driver.createInputTopic(INPUT, Serdes.String().serializer(), Serdes.Double().serializer());
		this.output = this.driver.createOutputTopic(OUTPUT, Serdes.String().deserializer(),
				Serdes.String().deserializer());
	}

	/**
	 * Process one reading.
	 * @param sensorId the key
	 * @param eventTime event time in milliseconds, the record timestamp
	 * @param value the reading
	 */
	public void pipe(String sensorId, long eventTime, double value) {
		this.input.pipeInput(sensorId, value, eventTime);
	}

	/**
	 * Take the final windows emitted so far (the driver keeps them until read).
	 * @param each receives each result's key ({@link BenchmarkWindows#key}) and its count
	 * and sum
	 * @return how many were taken
	 */
	public int takeResults(BiConsumer<String, long[]> each) {
		int taken = 0;
		while (!this.output.isEmpty()) {
			KeyValue<String, String> result = this.output.readKeyValue();
			taken++;
			if (each != null) {
				// "kind start count sum min max"
				String[] fields = result.value.split(" ");
				each.accept(BenchmarkWindows.key(result.key, fields[0], Long.parseLong(fields[1])), new long[] {
						Long.parseLong(fields[2]), Double.doubleToLongBits(Double.parseDouble(fields[3])) });
			}
		}
		return taken;
	}

	@Override
	public void close() {
		this.driver.close();
	}

	/**
	 * Checks that two systems produced the same final windows as each other and as the
	 * expected ones computed from the input ({@link BenchmarkWindows}), before any figure
	 * of theirs is compared.
	 */
	public static final class SameFinalWindows {

		private final BenchmarkWindows expected = new BenchmarkWindows();

		/** The same input as one partition: what the one-task driver sees. */
		private final BenchmarkWindows expectedInOnePartition = new BenchmarkWindows();

		private final Map<String, BenchmarkWindows.Aggregate> millrace = new HashMap<>();

		private final Map<String, BenchmarkWindows.Aggregate> streams = new HashMap<>();

		public void input(int partition, String sensorId, long eventTime, double value) {
			this.expected.add(partition, sensorId, eventTime, value);
			this.expectedInOnePartition.add(0, sensorId, eventTime, value);
		}

		public void millraceFinal(String sensorId, String kind, long start, long count, double sum) {
			put(this.millrace, BenchmarkWindows.key(sensorId, kind, start), count, sum);
		}

		/** A result taken by {@link TestDriverWindows#takeResults}. */
		public void streamsFinal(String key, long[] countAndSum) {
			put(this.streams, key, countAndSum[0], Double.longBitsToDouble(countAndSum[1]));
		}

		private static void put(Map<String, BenchmarkWindows.Aggregate> into, String key, long count, double sum) {
			if (into.put(key, BenchmarkWindows.Aggregate.of(count, sum)) != null) {
				throw new IllegalStateException("Final window emitted twice: " + key);
			}
		}

		/**
		 * @return a line saying what was checked
		 * @throws IllegalStateException naming the first differences, if any
		 */
		public String check() {
			Map<String, BenchmarkWindows.Aggregate> finals = this.expected.finals();
			require("the expected windows of 4 partitions and of 1",
					BenchmarkWindows.differences(finals, this.expectedInOnePartition.finals()));
			require("Millrace", BenchmarkWindows.differences(finals, this.millrace));
			require("Kafka Streams", BenchmarkWindows.differences(this.expectedInOnePartition.finals(), this.streams));
			return "Same final windows: " + finals.size() + " (counts and sums equal in Millrace, Kafka Streams "
					+ "and the batch computation; " + this.expected.dropped() + " readings dropped as late)";
		}

		private static void require(String what, List<String> differences) {
			if (!differences.isEmpty()) {
				throw new IllegalStateException(what + " differ from the expected final windows: "
						+ String.join("; ", differences.stream().limit(5).toList()));
			}
		}

	}

}
