package io.millrace.serving.aggregates;

import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.serving.store.WindowStore;
import io.millrace.transport.CounterFamily;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.StartupCatchUp;

import org.springframework.messaging.Message;

/**
 * Upserts every record of {@code telemetry-aggregates} into the store. A record that is
 * not a WindowAggregate ({@link ContractDecoders#windowAggregates()}) goes to the
 * {@code deadletter} output with the reason and where it came from, is counted and
 * logged, and the consumer carries on. Only a dead letter that cannot be written makes it
 * throw, so the binder fails the record instead of passing over it.
 */
public final class AggregatesConsumer implements Consumer<Message<byte[]>> {

	private final Decoder<WindowAggregate> decoder = ContractDecoders.windowAggregates();

	private final WindowStore store;

	private final StartupCatchUp catchUp;

	private final RebuildStatus rebuild;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final Counter received;

	private final CounterFamily deadlettered;

	/**
	 * @param store the store
	 * @param catchUp told of every record, to know when the store is rebuilt
	 * @param rebuild told of every record, for the quiet-period rule
	 * @param deadLetters where records that are not aggregates go
	 * @param source the input's destination, named in dead letters when the binder does
	 * not say which topic a record came from
	 * @param registry metrics
	 */
	AggregatesConsumer(WindowStore store, StartupCatchUp catchUp, RebuildStatus rebuild,
			DeadLetterPublisher deadLetters, String source, MeterRegistry registry) {
		this.store = store;
		this.catchUp = catchUp;
		this.rebuild = rebuild;
		this.deadLetters = deadLetters;
		this.source = source;
		this.received = Counter.builder("millrace.serving.aggregates.received")
			.description("Window aggregates consumed from telemetry-aggregates")
			.register(registry);
		this.deadlettered = new CounterFamily(registry, "millrace.serving.deadlettered",
				"Records of telemetry-aggregates sent to telemetry-deadletter, by reason", "reason")
			.registerAtZero(DeadLetters.UNDECODABLE, DeadLetters.SCHEMA_INVALID);
	}

	@Override
	public void accept(Message<byte[]> record) {
		try {
			consume(record);
		}
		finally {
			// Once the record is in the store (or dead-lettered) it counts as read; one
			// whose
			// dead letter could not be written is retried by the binder, then passed
			// over, and
			// must not keep the instance unready for ever.
			this.catchUp.seen(record);
		}
	}

	private void consume(Message<byte[]> record) {
		Decoded<WindowAggregate> decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			deadLetter(record, decoded);
			return;
		}
		this.received.increment();
		this.store.upsert(decoded.value());
		this.rebuild.recordConsumed(decoded.value().emittedAt());
	}

	private void deadLetter(Message<byte[]> record, Decoded<WindowAggregate> decoded) {
		this.deadLetters.deadLetter(record, decoded, this.source, "WindowAggregate");
		this.deadlettered.of(decoded.reason()).increment();
	}

}
