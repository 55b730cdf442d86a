package io.millrace.serving.aggregates;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.json.MillraceJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;

/**
 * Upserts every record of {@code telemetry-aggregates} into the store. A record that is
 * not a WindowAggregate is counted and logged with its content, and skipped: the producer
 * (processing-service) dead-letters its own bad input, so this is a contract breach to
 * investigate, not data to keep.
 */
public final class AggregatesConsumer implements Consumer<Message<byte[]>> {

	private static final Logger logger = LoggerFactory.getLogger(AggregatesConsumer.class);

	private final ObjectMapper json = MillraceJson.mapper();

	private final AggregateStore store;

	private final Counter received;

	private final Counter unreadable;

	AggregatesConsumer(AggregateStore store, MeterRegistry registry) {
		this.store = store;
		this.received = Counter.builder("millrace.serving.aggregates.received")
			.description("Window aggregates consumed from telemetry-aggregates")
			.register(registry);
		this.unreadable = Counter.builder("millrace.serving.aggregates.unreadable")
			.description("Records on telemetry-aggregates that are not WindowAggregates (skipped)")
			.register(registry);
		Gauge.builder("millrace.serving.sensors", store::sensorCount)
			.description("Sensors with aggregates in memory")
			.register(registry);
	}

	@Override
	public void accept(Message<byte[]> record) {
		WindowAggregate aggregate;
		try {
			aggregate = this.json.readValue(record.getPayload(), WindowAggregate.class);
		}
		catch (IOException ex) {
			aggregate = null;
		}
		if (aggregate == null || aggregate.sensorId() == null || aggregate.metric() == null
				|| aggregate.window() == null || aggregate.window().start() == null
				|| aggregate.window().end() == null) {
			this.unreadable.increment();
			logger.warn("Skipping a record that is not a WindowAggregate: {}", abbreviate(record.getPayload()));
			return;
		}
		this.received.increment();
		this.store.upsert(aggregate);
	}

	private static String abbreviate(byte[] payload) {
		String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}
