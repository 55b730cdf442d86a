package io.millrace.alerting.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.delivery.WebhookDelivery;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.transport.KeyedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Evaluates each record of {@code telemetry-aggregates}; every alert state change is
 * published to the {@code alerts} binding (keyed by sensorId) and then handed to the
 * webhook delivery.
 */
public final class AlertPipeline implements Consumer<Message<byte[]>> {

	static final String ALERTS_BINDING = "alerts";

	private static final Logger logger = LoggerFactory.getLogger(AlertPipeline.class);

	private final ObjectMapper json = MillraceJson.mapper();

	private final RuleEvaluator evaluator;

	private final StreamBridge bridge;

	private final WebhookDelivery delivery;

	private final MeterRegistry registry;

	private final Counter evaluations;

	private final Counter unreadable;

	AlertPipeline(RuleEvaluator evaluator, StreamBridge bridge, WebhookDelivery delivery, MeterRegistry registry) {
		this.evaluator = evaluator;
		this.bridge = bridge;
		this.delivery = delivery;
		this.registry = registry;
		this.evaluations = Counter.builder("millrace.alerting.evaluations")
			.description("Window aggregates evaluated against the rule")
			.register(registry);
		this.unreadable = Counter.builder("millrace.alerting.aggregates.unreadable")
			.description("Records on telemetry-aggregates that are not WindowAggregates (skipped)")
			.register(registry);
	}

	@Override
	public void accept(Message<byte[]> record) {
		WindowAggregate aggregate = read(record.getPayload());
		if (aggregate == null) {
			return;
		}
		this.evaluations.increment();
		Optional<AlertEvent> change = this.evaluator.evaluate(aggregate);
		change.ifPresent(this::publish);
	}

	private void publish(AlertEvent alert) {
		Message<byte[]> message = KeyedMessages.keyedJson(alert, alert.sensorId());
		if (!this.bridge.send(ALERTS_BINDING, message)) {
			throw new IllegalStateException("The alerts binding refused alert " + alert.alertId());
		}
		Counter.builder("millrace.alerting.alerts")
			.description("Alert state changes published, by status and severity")
			.tag("status", alert.status().toString().toLowerCase())
			.tag("severity", alert.severity())
			.register(this.registry)
			.increment();
		logger.info("Alert {} {} for {} {}: {}", alert.status(), alert.ruleId(), alert.sensorId(), alert.metric(),
				alert.annotations().get("summary"));
		// The webhook gets the same JSON the topic got.
		this.delivery.submit(alert, message.getPayload());
	}

	private WindowAggregate read(byte[] payload) {
		try {
			WindowAggregate aggregate = this.json.readValue(payload, WindowAggregate.class);
			if (aggregate != null && aggregate.sensorId() != null && aggregate.metric() != null
					&& aggregate.window() != null && aggregate.window().end() != null) {
				return aggregate;
			}
		}
		catch (IOException ex) {
			// Counted and logged below.
		}
		this.unreadable.increment();
		String text = new String(payload, StandardCharsets.UTF_8);
		logger.warn("Skipping a record that is not a WindowAggregate: {}",
				(text.length() > 200) ? text.substring(0, 200) + "..." : text);
		return null;
	}

}
