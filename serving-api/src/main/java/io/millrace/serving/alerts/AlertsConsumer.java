package io.millrace.serving.alerts;

import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.alert.AlertEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.serving.aggregates.RebuildStatus;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.StartupCatchUp;

import org.springframework.messaging.Message;

/**
 * Takes every record of {@code alerts} onto the {@link AlertBoard}. A record that is not
 * an AlertEvent ({@link ContractDecoders#alertEvents()}) goes to the {@code deadletter}
 * output with the reason, is counted, and the consumer carries on, as the aggregates'
 * consumer does.
 */
public final class AlertsConsumer implements Consumer<Message<byte[]>> {

	private static final String DEADLETTERED = "millrace.serving.alerts.deadlettered";

	private final Decoder<AlertEvent> decoder = ContractDecoders.alertEvents();

	private final AlertBoard board;

	private final StartupCatchUp catchUp;

	private final RebuildStatus rebuild;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final MeterRegistry registry;

	private final Counter received;

	AlertsConsumer(AlertBoard board, StartupCatchUp catchUp, RebuildStatus rebuild, DeadLetterPublisher deadLetters,
			String source, MeterRegistry registry) {
		this.board = board;
		this.catchUp = catchUp;
		this.rebuild = rebuild;
		this.deadLetters = deadLetters;
		this.source = source;
		this.registry = registry;
		this.received = Counter.builder("millrace.serving.alerts.received")
			.description("Alert events consumed from alerts")
			.register(registry);
		// Both reasons from the start, so that rate() sees 0 rather than nothing.
		deadlettered(DeadLetters.UNDECODABLE);
		deadlettered(DeadLetters.SCHEMA_INVALID);
	}

	@Override
	public void accept(Message<byte[]> record) {
		this.catchUp.seen(record);
		// An AlertEvent carries no emission time, so the quiet-period rule goes by quiet
		// alone.
		this.rebuild.recordConsumed(null);
		Decoded<AlertEvent> decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			this.deadLetters.deadLetter(record, decoded, this.source, "AlertEvent");
			deadlettered(decoded.reason()).increment();
			return;
		}
		this.received.increment();
		this.board.accept(decoded.value());
	}

	private Counter deadlettered(String reason) {
		return Counter.builder(DEADLETTERED)
			.description("Records of alerts sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

}
