package io.millrace.processing.pipeline;

import java.time.Clock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.processing.engine.TumblingWindows;
import io.millrace.processing.engine.WindowOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;

/**
 * Feeds records from {@code telemetry-raw} through the window operator: valid events go
 * into windows, closed windows go to {@code aggregates}, late events to {@code late}, and
 * records that cannot be read to {@code deadletter} with the reason. Nothing is dropped
 * silently.
 * <p>
 * Window state lives in memory in this version: a restart loses the open windows
 * (recovery from checkpoints comes with the full engine).
 */
public final class TelemetryPipeline implements Consumer<Message<byte[]>> {

	private static final Logger logger = LoggerFactory.getLogger(TelemetryPipeline.class);

	private final TelemetryDecoder decoder = new TelemetryDecoder();

	private final WindowOperator operator;

	private final TelemetryOutputs outputs;

	private final ProcessingMetrics metrics;

	TelemetryPipeline(ProcessingProperties properties, TelemetryOutputs outputs, MeterRegistry registry, Clock clock) {
		this.operator = new WindowOperator(TumblingWindows.of(properties.windowSize()), properties.maxOutOfOrderness(),
				clock);
		this.outputs = outputs;
		this.metrics = new ProcessingMetrics(registry, this::watermark, this::openSeries);
	}

	@Override
	public synchronized void accept(Message<byte[]> record) {
		TelemetryDecoder.Decoded decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			RecordOrigin origin = RecordOrigin.of(record.getHeaders());
			logger.warn("Dead-lettering record from partition {} offset {}: {} ({})", origin.partition(),
					origin.offset(), decoded.reason(), decoded.detail());
			this.outputs.deadLetter(record.getPayload(), decoded.reason(), decoded.detail(), origin);
			this.metrics.deadLettered(decoded.reason()).increment();
			return;
		}
		WindowOperator.Output output = this.operator.process(decoded.event());
		if (output.late()) {
			this.outputs.late(record.getPayload(), decoded.event().sensorId(), this.operator.watermark().toString());
			this.metrics.late();
			return;
		}
		this.metrics.processed();
		for (WindowAggregate aggregate : output.closed()) {
			this.outputs.aggregate(aggregate);
		}
		this.metrics.emitted(output.closed().size());
	}

	private synchronized java.time.Instant watermark() {
		return this.operator.watermark();
	}

	private synchronized Long openSeries() {
		return this.operator.openSeries();
	}

}
