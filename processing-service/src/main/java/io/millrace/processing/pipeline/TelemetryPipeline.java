package io.millrace.processing.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.progress.ProgressTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;

/**
 * Feeds records from {@code telemetry-raw} through the engine: results go to
 * {@code aggregates}, events too late for every window to {@code late}, and records that
 * cannot be read or are stamped too far in the future to {@code deadletter} with the
 * reason. Duplicates are counted. Nothing is dropped silently.
 * <p>
 * Window state lives in memory in this version: a restart loses the open windows
 * (recovery from checkpoints is still to come, see docs/architecture.md).
 */
public final class TelemetryPipeline implements Consumer<Message<byte[]>> {

	private static final Logger logger = LoggerFactory.getLogger(TelemetryPipeline.class);

	private final TelemetryDecoder decoder = new TelemetryDecoder();

	private final StreamEngine engine;

	private final TelemetryOutputs outputs;

	private final ProcessingMetrics metrics;

	private final ProgressTracker progress;

	TelemetryPipeline(ProcessingProperties properties, TelemetryOutputs outputs, MeterRegistry registry,
			ProgressTracker progress, Clock clock) {
		this.engine = new StreamEngine(properties.engineConfig(), clock);
		this.outputs = outputs;
		this.metrics = new ProcessingMetrics(registry, this);
		this.progress = progress;
	}

	@Override
	public synchronized void accept(Message<byte[]> record) {
		long started = System.nanoTime();
		TelemetryDecoder.Decoded decoded = this.decoder.decode(record.getPayload());
		RecordOrigin origin = RecordOrigin.of(record.getHeaders());
		try {
			process(record, decoded, origin);
		}
		finally {
			this.progress.recorded(origin.partition(), decoded.isValid() ? decoded.event().timestamp() : null,
					System.nanoTime() - started);
		}
	}

	private void process(Message<byte[]> record, TelemetryDecoder.Decoded decoded, RecordOrigin origin) {
		if (!decoded.isValid()) {
			deadLetter(record.getPayload(), decoded.reason(), decoded.detail(), origin);
			return;
		}
		StreamEngine.Result result = this.engine.onEvent(origin.partition(), decoded.event());
		switch (result.disposition()) {
			case ACCEPTED -> this.metrics.processed();
			case DUPLICATE -> this.metrics.duplicate();
			case LATE -> {
				this.outputs.late(record.getPayload(), decoded.event().sensorId(), this.engine.watermark().toString());
				this.metrics.late();
			}
			case CLOCK_SKEW -> deadLetter(record.getPayload(), "clock-skew",
					"event time " + decoded.event().timestamp() + " is too far ahead of processing time", origin);
		}
		publish(result.emitted());
	}

	/** Let processing time pass: idle partitions and early results. */
	public synchronized void tick() {
		this.engine.onTick().values().forEach(this::publish);
		this.progress.closeBatchIfDue(this.engine.watermark(), this.engine.openWindows());
	}

	private void publish(List<WindowAggregate> aggregates) {
		for (WindowAggregate aggregate : aggregates) {
			this.outputs.aggregate(aggregate);
			this.metrics.emitted(aggregate);
		}
	}

	private void deadLetter(byte[] payload, String reason, String detail, RecordOrigin origin) {
		logger.warn("Dead-lettering record from partition {} offset {}: {} ({})", origin.partition(), origin.offset(),
				reason, detail);
		this.outputs.deadLetter(payload, reason, detail, origin);
		this.metrics.deadLettered(reason).increment();
	}

	synchronized Instant watermark() {
		return this.engine.watermark();
	}

	synchronized long openWindows() {
		return this.engine.openWindows();
	}

	synchronized long stateBytes() {
		return this.engine.estimatedStateBytes();
	}

}
