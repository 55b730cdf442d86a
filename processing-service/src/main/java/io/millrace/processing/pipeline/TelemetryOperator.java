package io.millrace.processing.pipeline;

import java.time.Instant;
import java.util.List;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.progress.ProgressTracker;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.Outputs;
import io.millrace.runtime.operator.PartitionOutputs;

/**
 * The windowing engine as an operator of the streaming runtime: results go to
 * {@code aggregates}, events too late for every window to {@code late}, events stamped
 * too far in the future are dead-lettered ({@code clock-skew}), duplicates are counted.
 * Nothing is dropped silently.
 */
final class TelemetryOperator implements Operator<TelemetryEvent> {

	/** The state estimate walks every window: computed this often at most. */
	private static final long STATE_ESTIMATE_INTERVAL_MILLIS = 10_000;

	private final StreamEngine engine;

	private final ProcessingMetrics metrics;

	private final ProgressTracker progress;

	/** Whether aggregates go out with their quantile sketch. */
	private final boolean emitSketches;

	private long stateEstimatedAt = Long.MIN_VALUE;

	private long stateBytes;

	private volatile EngineStatus status = new EngineStatus(Instant.MIN, 0, 0);

	TelemetryOperator(StreamEngine engine, ProcessingMetrics metrics, ProgressTracker progress, boolean emitSketches) {
		this.engine = engine;
		this.metrics = metrics;
		this.progress = progress;
		this.emitSketches = emitSketches;
	}

	@Override
	public void process(InputRecord<TelemetryEvent> record, Outputs out) {
		long started = System.nanoTime();
		TelemetryEvent event = record.value();
		StreamEngine.Result result = this.engine.onEvent(record.partition(), event);
		switch (result.disposition()) {
			case ACCEPTED -> this.metrics.processed();
			case DUPLICATE -> this.metrics.duplicate();
			case LATE -> {
				out.emit(TelemetryOutputs.late(record.payload(), event.sensorId(),
						this.engine.watermark(record.partition()).toString()));
				this.metrics.late();
			}
			case CLOCK_SKEW -> out.deadLetter(TelemetryOutputs.CLOCK_SKEW,
					"event time " + event.timestamp() + " is too far ahead of when it was received");
		}
		emit(result.emitted(), out);
		this.progress.recorded(record.partition(), event.timestamp(), System.nanoTime() - started);
	}

	@Override
	public void onTimer(long now, PartitionOutputs out) {
		this.engine.onTick().forEach((partition, aggregates) -> emit(aggregates, out.of(partition)));
		this.progress.closeBatchIfDue(this.engine.watermark(), this.engine.openWindows());
	}

	private void emit(List<WindowAggregate> aggregates, Outputs out) {
		for (WindowAggregate aggregate : aggregates) {
			out.emit(TelemetryOutputs.aggregate(aggregate, this.emitSketches));
			this.metrics.emitted(aggregate);
		}
	}

	@Override
	public byte[] snapshot(String partition) {
		return this.engine.snapshotPartition(partition);
	}

	@Override
	public byte[] snapshotChanges(String partition) {
		return this.engine.snapshotPartitionChanges(partition);
	}

	@Override
	public void restore(String partition, byte[] state) {
		restore(partition, state, List.of());
	}

	@Override
	public void restore(String partition, byte[] state, List<byte[]> changes) {
		String restored = this.engine.restorePartition(state, changes);
		if (!restored.equals(partition)) {
			throw new IllegalStateException(
					"The checkpoint of partition " + partition + " holds partition " + restored + "'s state");
		}
	}

	@Override
	public void release(String partition) {
		this.engine.releasePartition(partition);
	}

	@Override
	public void publishStatus() {
		long now = System.currentTimeMillis();
		if (now - this.stateEstimatedAt >= STATE_ESTIMATE_INTERVAL_MILLIS) {
			this.stateBytes = this.engine.estimatedStateBytes();
			this.stateEstimatedAt = now;
		}
		this.status = new EngineStatus(this.engine.watermark(), this.engine.openWindows(), this.stateBytes);
	}

	/** What the engine last published; never waits for processing. */
	EngineStatus status() {
		return this.status;
	}

	/**
	 * The engine's figures for metrics.
	 *
	 * @param watermark the operator watermark, {@link Instant#MIN} before the first event
	 * @param openWindows open windows and buffered series
	 * @param stateBytes approximate heap held, refreshed every ten seconds at most
	 */
	record EngineStatus(Instant watermark, long openWindows, long stateBytes) {
	}

}
