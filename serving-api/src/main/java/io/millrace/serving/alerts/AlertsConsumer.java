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
import io.millrace.transport.CounterFamily;
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

	private final Decoder<AlertEvent> decoder = ContractDecoders.alertEvents();

	private final AlertBoard board;

	private final StartupCatchUp catchUp;

	private final RebuildStatus rebuild;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final Counter received;

	private final CounterFamily deadlettered;

	AlertsConsumer(AlertBoard board, StartupCatchUp catchUp, RebuildStatus rebuild, DeadLetterPublisher deadLetters,
			String source, MeterRegistry registry) {
		this.board = board;
		this.catchUp = catchUp;
		this.rebuild = rebuild;
		this.deadLetters = deadLetters;
		this.source = source;
		this.received = Counter.builder("millrace.serving.alerts.received")
			.description("Alert events consumed from alerts")
			.register(registry);
		this.deadlettered = new CounterFamily(registry, "millrace.serving.alerts.deadlettered",
				"Records of alerts sent to telemetry-deadletter, by reason", "reason")
			.registerAtZero(DeadLetters.UNDECODABLE, DeadLetters.SCHEMA_INVALID);
	}

	@Override
	public void accept(Message<byte[]> record) {
		try {
			consume(record);
		}
		finally {
			// Seen once it is on the board (or dead-lettered), as the aggregates'
			// consumer does: readiness never says UP before the last alert is there.
			this.catchUp.seen(record);
		}
	}

	private void consume(Message<byte[]> record) {
		// An AlertEvent carries no emission time, so the quiet-period rule goes by quiet
		// alone.
		this.rebuild.recordConsumed(null);
		Decoded<AlertEvent> decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			this.deadLetters.deadLetter(record, decoded, this.source, "AlertEvent");
			this.deadlettered.of(decoded.reason()).increment();
			return;
		}
		this.received.increment();
		this.board.accept(decoded.value());
	}

}
