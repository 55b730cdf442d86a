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
import io.millrace.transport.DeadLetterPublisher;

import org.springframework.messaging.Message;

/**
 * Upserts every record of {@code telemetry-aggregates} into the store. A record that is
 * not a WindowAggregate ({@link ContractDecoders#windowAggregates()}) goes to the
 * {@code deadletter} output with the reason and where it came from, is counted and
 * logged, and the consumer carries on. Only a dead letter that cannot be written makes it
 * throw, so the binder fails the record instead of passing over it.
 */
public final class AggregatesConsumer implements Consumer<Message<byte[]>> {

	private static final String DEADLETTERED = "millrace.serving.deadlettered";

	private final Decoder<WindowAggregate> decoder = ContractDecoders.windowAggregates();

	private final AggregateStore store;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final MeterRegistry registry;

	private final Counter received;

	/**
	 * @param store the store
	 * @param deadLetters where records that are not aggregates go
	 * @param source the input's destination, named in dead letters when the binder does
	 * not say which topic a record came from
	 * @param registry metrics
	 */
	AggregatesConsumer(AggregateStore store, DeadLetterPublisher deadLetters, String source, MeterRegistry registry) {
		this.store = store;
		this.deadLetters = deadLetters;
		this.source = source;
		this.registry = registry;
		this.received = Counter.builder("millrace.serving.aggregates.received")
			.description("Window aggregates consumed from telemetry-aggregates")
			.register(registry);
		// Both reasons from the start, so that rate() sees 0 rather than nothing.
		deadlettered(DeadLetters.UNDECODABLE);
		deadlettered(DeadLetters.SCHEMA_INVALID);
		Gauge.builder("millrace.serving.sensors", store::sensorCount)
			.description("Sensors with aggregates in memory")
			.register(registry);
	}

	@Override
	public void accept(Message<byte[]> record) {
		Decoded<WindowAggregate> decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			deadLetter(record, decoded);
			return;
		}
		this.received.increment();
		this.store.upsert(decoded.value());
	}

	private void deadLetter(Message<byte[]> record, Decoded<WindowAggregate> decoded) {
		this.deadLetters.deadLetter(record, decoded, this.source, "WindowAggregate");
		deadlettered(decoded.reason()).increment();
	}

	private Counter deadlettered(String reason) {
		return Counter.builder(DEADLETTERED)
			.description("Records of telemetry-aggregates sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

}
