package io.millrace.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.millrace.benchmarks.broker.TestDriverWindows;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.EngineConfig;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.engine.WindowSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The windowing engine alone, one thread, no I/O: events per second through a 1-minute
 * tumbling plus a 5-minute/1-minute hopping pipeline over 10,000 sensors, with and
 * without quantile sketches, and its peer, the same windows in Kafka Streams' in-memory
 * window stores driven by {@code TopologyTestDriver} ({@link TestDriverWindows}). Each
 * invocation feeds one million pre-built events (up to 2 s of disorder, 4 partitions)
 * into a fresh engine, so window creation, updates and emission are all measured.
 * {@code spanMinutes} sets how much event time the million events cover, which sets the
 * readings per window: 20 minutes is 5 readings per sensor and minute (emission-bound:
 * about one window result per event), 2 minutes is 50.
 * <p>
 * What each side computes per window: Millrace count, sum, min, max, avg, stddev, first
 * and last value, and with sketches p50/p95/p99 (1% relative accuracy), plus dedupe by
 * event id; Kafka Streams count, sum, min and max (it has no quantile sketch; avg is sum
 * / count). Millrace's invocation ends with {@code drain()}, which also emits the windows
 * still open; Kafka Streams emits closed windows only. Before the peer is measured, one
 * pass of each over the same events must produce the same final windows (counts and
 * sums), or the trial fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms2g", "-Xmx2g" })
public class EngineThroughputBenchmark {

	static final int EVENTS = 1_000_000;

	static final int SENSORS = 10_000;

	static final int PARTITIONS = 4;

	/** The same pre-built events for every system. */
	@State(Scope.Benchmark)
	public static class Events {

		@Param({ "20", "2" })
		int spanMinutes;

		TelemetryEvent[] events;

		String[] partitions;

		@Setup(Level.Trial)
		public void build() {
			Random random = new Random(1);
			Instant start = Instant.parse("2026-11-25T00:00:00Z");
			this.events = new TelemetryEvent[EVENTS];
			this.partitions = new String[EVENTS];
			long spanMillis = Duration.ofMinutes(this.spanMinutes).toMillis();
			for (int i = 0; i < EVENTS; i++) {
				int sensor = random.nextInt(SENSORS);
				long time = start.toEpochMilli() + (spanMillis * i / EVENTS) - random.nextInt(2000);
				this.events[i] = new TelemetryEvent("e" + i, "sensor-" + sensor, Instant.ofEpochMilli(time),
						50 + random.nextGaussian() * 10, null, null, 1, null);
				this.partitions[i] = "p" + (sensor % PARTITIONS);
			}
		}

		int partitionNumber(int i) {
			return this.partitions[i].charAt(1) - '0';
		}

	}

	/** A fresh Millrace engine per invocation. */
	@State(Scope.Thread)
	public static class Millrace {

		@Param({ "0.01", "0" })
		double quantileAccuracy;

		StreamEngine engine;

		@Setup(Level.Invocation)
		public void newEngine() {
			this.engine = newEngine(this.quantileAccuracy);
		}

		static StreamEngine newEngine(double quantileAccuracy) {
			EngineConfig config = new EngineConfig(
					List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
							new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))),
					Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1),
					Duration.ofMinutes(10), null, quantileAccuracy);
			return new StreamEngine(config, Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC));
		}

	}

	/**
	 * A fresh test driver per invocation, after a check that both systems produce the
	 * same final windows from these events.
	 */
	@State(Scope.Thread)
	public static class KafkaStreams {

		TestDriverWindows driver;

		@Setup(Level.Trial)
		public void checkSameResults(Events events) {
			TestDriverWindows.SameFinalWindows same = new TestDriverWindows.SameFinalWindows();
			StreamEngine engine = Millrace.newEngine(0.01);
			try (TestDriverWindows peer = new TestDriverWindows()) {
				for (int i = 0; i < EVENTS; i++) {
					TelemetryEvent event = events.events[i];
					long time = event.timestamp().toEpochMilli();
					same.input(events.partitionNumber(i), event.sensorId(), time, event.value());
					for (WindowAggregate result : engine.onEvent(events.partitions[i], event).emitted()) {
						if (result.isFinal()) {
							same.millraceFinal(result.sensorId(), result.window().kind(),
									result.window().start().toEpochMilli(), result.count(), result.sum());
						}
					}
					peer.pipe(event.sensorId(), time, event.value());
					peer.takeResults(same::streamsFinal);
				}
			}
			System.out.println();
			System.out.println(same.check());
		}

		@Setup(Level.Invocation)
		public void newDriver() {
			this.driver = new TestDriverWindows();
		}

		@TearDown(Level.Invocation)
		public void closeDriver() {
			this.driver.close();
		}

	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void millionEvents(Events events, Millrace millrace, Blackhole sink) {
		StreamEngine engine = millrace.engine;
		for (int i = 0; i < EVENTS; i++) {
			sink.consume(engine.onEvent(events.partitions[i], events.events[i]));
		}
		sink.consume(engine.drain());
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void kafkaStreamsMillionEvents(Events events, KafkaStreams streams, Blackhole sink) {
		TestDriverWindows driver = streams.driver;
		for (int i = 0; i < EVENTS; i++) {
			TelemetryEvent event = events.events[i];
			driver.pipe(event.sensorId(), event.timestamp().toEpochMilli(), event.value());
			if ((i & 1023) == 0) {
				sink.consume(driver.takeResults(null));
			}
		}
		sink.consume(driver.takeResults(null));
	}

}
