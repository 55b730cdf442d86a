package io.millrace.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The windowing engine alone, one thread, no I/O: events per second through a 1-minute
 * tumbling plus a 5-minute/1-minute hopping pipeline over 10,000 sensors, with and
 * without quantile sketches. Each invocation feeds one million pre-built events (up to 2
 * s of disorder, 4 partitions) into a fresh engine, so window creation, updates and
 * emission are all measured. {@code spanMinutes} sets how much event time the million
 * events cover, which sets the readings per window: 20 minutes is 5 readings per sensor
 * and minute (emission-bound: about one window result per event), 2 minutes is 50.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms2g", "-Xmx2g" })
public class EngineThroughputBenchmark {

	static final int EVENTS = 1_000_000;

	static final int SENSORS = 10_000;

	@Param({ "0.01", "0" })
	double quantileAccuracy;

	@Param({ "20", "2" })
	int spanMinutes;

	private TelemetryEvent[] events;

	private String[] partitions;

	private StreamEngine engine;

	@Setup(Level.Trial)
	public void buildEvents() {
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
			this.partitions[i] = "p" + (sensor % 4);
		}
	}

	@Setup(Level.Invocation)
	public void newEngine() {
		EngineConfig config = new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
						new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1), Duration.ofMinutes(10),
				null, this.quantileAccuracy);
		this.engine = new StreamEngine(config, Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC));
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void millionEvents(Blackhole sink) {
		for (int i = 0; i < EVENTS; i++) {
			sink.consume(this.engine.onEvent(this.partitions[i], this.events[i]));
		}
		sink.consume(this.engine.drain());
	}

}
