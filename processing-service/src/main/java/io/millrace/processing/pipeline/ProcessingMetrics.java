package io.millrace.processing.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.task.TaskListener;
import io.millrace.runtime.task.TaskStatus;

/**
 * The {@code millrace_processing_*} metrics. Gauges read what the runtime and the engine
 * published after their last batch or tick: a scrape never waits for processing.
 */
final class ProcessingMetrics implements TaskListener {

	private final MeterRegistry registry;

	private final Counter eventsProcessed;

	private final Counter lateEvents;

	private final Counter duplicates;

	/** Counters of final results by window kind. */
	private final Map<String, Counter> emittedFinal = new ConcurrentHashMap<>();

	/** Counters of early results by window kind. */
	private final Map<String, Counter> emittedEarly = new ConcurrentHashMap<>();

	private final Counter replaySkipped;

	private final Counter recordsConsumed;

	private final Counter partitionsRestored;

	private final Counter batchFailures;

	private final Timer checkpointDuration;

	private final DistributionSummary checkpointSize;

	ProcessingMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.eventsProcessed = Counter.builder("millrace.processing.events")
			.description("Valid events added to windows")
			.register(registry);
		this.lateEvents = Counter.builder("millrace.processing.late.events")
			.description("Events too late for every window they belong to; sent to telemetry-late")
			.register(registry);
		this.duplicates = Counter.builder("millrace.processing.duplicates")
			.description("Events whose id was already seen within the dedupe horizon; not aggregated")
			.register(registry);
		deadLetterCounter(DeadLetters.UNDECODABLE);
		deadLetterCounter(DeadLetters.SCHEMA_INVALID);
		deadLetterCounter(TelemetryOutputs.CLOCK_SKEW);
		deadLetterCounter(DeadLetters.OPERATOR_FAILED);
		this.batchFailures = Counter.builder("millrace.processing.batch.failures")
			.description("Failed attempts at an input batch; the same batch is retried and the input waits")
			.register(registry);
		this.recordsConsumed = Counter.builder("millrace.processing.records")
			.description("Records consumed from telemetry-raw, whatever becomes of them (the input rate)")
			.register(registry);
		this.replaySkipped = Counter.builder("millrace.processing.replayed.skipped")
			.description("Redelivered records already in a restored checkpoint; skipped")
			.register(registry);
		this.partitionsRestored = Counter.builder("millrace.processing.partitions.restored")
			.description("Input partitions restored from their checkpoint")
			.register(registry);
		this.checkpointDuration = Timer.builder("millrace.processing.checkpoint.duration")
			.description("Time to snapshot and write the changed partitions' checkpoints")
			.register(registry);
		this.checkpointSize = DistributionSummary.builder("millrace.processing.checkpoint.size")
			.description("Size of each partition checkpoint written")
			.baseUnit("bytes")
			.register(registry);
		for (String reason : List.of("delivery-pending", "delivery-failed", "fenced", "storage", "error")) {
			checkpointSkippedCounter(reason);
		}
	}

	/**
	 * Gauges of what the task and the engine publish.
	 * @param task the task's last status
	 * @param engine the engine's last status
	 */
	void gauges(Supplier<TaskStatus> task, Supplier<TelemetryOperator.EngineStatus> engine) {
		Gauge.builder("millrace.processing.watermark", () -> seconds(engine.get().watermark()))
			.description("Current event-time watermark")
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.processing.watermark.lag", () -> lagSeconds(engine.get().watermark()))
			.description("Processing time minus the watermark")
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.processing.open.windows", () -> engine.get().openWindows())
			.description("Open windows held in memory (buffered series for sliding and session windows)")
			.register(this.registry);
		Gauge.builder("millrace.processing.state", () -> engine.get().stateBytes())
			.description("Approximate heap held by window state and the dedupe set (refreshed every 10 s)")
			.baseUnit("bytes")
			.register(this.registry);
		Gauge.builder("millrace.processing.pending.records", () -> task.get().heldRecords())
			.description("Records produced and not yet acknowledged by the broker (held until their checkpoint)")
			.register(this.registry);
		Gauge.builder("millrace.processing.checkpoint.age", () -> checkpointAgeSeconds(task.get()))
			.description("Processing time since the last complete checkpoint (NaN before the first)")
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.processing.input.stalled", () -> stalledSeconds(task.get()))
			.description("How long the input has been held on a failing batch (0 while it runs)")
			.baseUnit("seconds")
			.register(this.registry);
	}

	void processed() {
		this.eventsProcessed.increment();
	}

	void late() {
		this.lateEvents.increment();
	}

	void duplicate() {
		this.duplicates.increment();
	}

	void emitted(WindowAggregate aggregate) {
		// Looked up once per (kind, finality): registering per emission costs a registry
		// lookup each time; one map per finality, so no key is built per emission.
		(aggregate.isFinal() ? this.emittedFinal : this.emittedEarly)
			.computeIfAbsent(aggregate.window().kind(),
					(key) -> Counter.builder("millrace.processing.aggregates.emitted")
						.description("Window aggregates published to telemetry-aggregates, by window kind and finality")
						.tag("kind", aggregate.window().kind())
						.tag("final", String.valueOf(aggregate.isFinal()))
						.register(this.registry))
			.increment();
	}

	@Override
	public void consumed(int records) {
		this.recordsConsumed.increment(records);
	}

	@Override
	public void replaySkipped() {
		this.replaySkipped.increment();
	}

	@Override
	public void restored() {
		this.partitionsRestored.increment();
	}

	@Override
	public void checkpointWritten(long bytes) {
		this.checkpointSize.record(bytes);
	}

	@Override
	public void checkpointDuration(long nanos) {
		this.checkpointDuration.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void checkpointSkipped(String reason) {
		checkpointSkippedCounter(reason).increment();
	}

	@Override
	public void batchFailed() {
		this.batchFailures.increment();
	}

	@Override
	public void deadLettered(String reason) {
		deadLetterCounter(reason).increment();
	}

	private Counter checkpointSkippedCounter(String reason) {
		return Counter.builder("millrace.processing.checkpoint.skipped")
			.description("Checkpoints not written (or partitions left out of one), by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

	private Counter deadLetterCounter(String reason) {
		return Counter.builder("millrace.processing.deadletter")
			.description("Records sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

	private static double checkpointAgeSeconds(TaskStatus status) {
		return (status.lastCheckpointAt() == 0) ? Double.NaN
				: (System.currentTimeMillis() - status.lastCheckpointAt()) / 1000.0;
	}

	private static double stalledSeconds(TaskStatus status) {
		return status.failing() ? (System.currentTimeMillis() - status.failingSince()) / 1000.0 : 0;
	}

	private static double seconds(Instant instant) {
		return instant.equals(Instant.MIN) ? Double.NaN : instant.toEpochMilli() / 1000.0;
	}

	private static double lagSeconds(Instant watermark) {
		return watermark.equals(Instant.MIN) ? Double.NaN
				: (System.currentTimeMillis() - watermark.toEpochMilli()) / 1000.0;
	}

}
