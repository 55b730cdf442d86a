package io.millrace.alerting.evaluation;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.delivery.WebhookDelivery;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.KeyedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Evaluates each record of {@code telemetry-aggregates}; every alert state change is
 * published to the {@code alerts} binding (keyed by sensorId) and then handed to the
 * webhook delivery. A record that is not a WindowAggregate
 * ({@link ContractDecoders#windowAggregates()}) goes to the {@code deadletter} output
 * with the reason and where it came from, is counted and logged, and evaluation carries
 * on. Only a dead letter that cannot be written, or an alert the binding refuses, makes
 * it throw, so the binder fails the record instead of passing over it.
 */
public final class AlertPipeline implements Consumer<Message<byte[]>> {

	static final String ALERTS_BINDING = "alerts";

	private static final Logger logger = LoggerFactory.getLogger(AlertPipeline.class);

	private static final String DEADLETTERED = "millrace.alerting.deadlettered";

	private final Decoder<WindowAggregate> decoder = ContractDecoders.windowAggregates();

	private final RuleEvaluator evaluator;

	private final StreamBridge bridge;

	private final WebhookDelivery delivery;

	private final DeadLetterPublisher deadLetters;

	private final String source;

	private final MeterRegistry registry;

	private final Counter evaluations;

	/**
	 * @param evaluator the rule
	 * @param bridge sends alerts
	 * @param delivery the webhook delivery
	 * @param deadLetters where records that are not aggregates go
	 * @param source the input's destination, named in dead letters when the binder does
	 * not say which topic a record came from
	 * @param registry metrics
	 */
	AlertPipeline(RuleEvaluator evaluator, StreamBridge bridge, WebhookDelivery delivery,
			DeadLetterPublisher deadLetters, String source, MeterRegistry registry) {
		this.evaluator = evaluator;
		this.bridge = bridge;
		this.delivery = delivery;
		this.deadLetters = deadLetters;
		this.source = source;
		this.registry = registry;
		this.evaluations = Counter.builder("millrace.alerting.evaluations")
			.description("Window aggregates evaluated against the rule")
			.register(registry);
		// Both reasons from the start, so that rate() sees 0 rather than nothing.
		deadlettered(DeadLetters.UNDECODABLE);
		deadlettered(DeadLetters.SCHEMA_INVALID);
		// Likewise the rule's alerts: increase() sees the first one fire.
		for (AlertStatus status : AlertStatus.values()) {
			alerts(status, evaluator.severity());
		}
	}

	@Override
	public void accept(Message<byte[]> record) {
		Decoded<WindowAggregate> decoded = this.decoder.decode(record.getPayload());
		if (!decoded.isValid()) {
			deadLetter(record, decoded);
			return;
		}
		this.evaluations.increment();
		Optional<AlertEvent> change = this.evaluator.evaluate(decoded.value());
		change.ifPresent(this::publish);
	}

	private void publish(AlertEvent alert) {
		Message<byte[]> message = KeyedMessages.keyedJson(alert, alert.sensorId());
		if (!this.bridge.send(ALERTS_BINDING, message)) {
			throw new IllegalStateException("The alerts binding refused alert " + alert.alertId());
		}
		alerts(alert.status(), alert.severity()).increment();
		logger.info("Alert {} {} for {} {}: {}", alert.status(), alert.ruleId(), alert.sensorId(), alert.metric(),
				alert.annotations().get("summary"));
		// The webhook gets the same JSON the topic got.
		this.delivery.submit(alert, message.getPayload());
	}

	private void deadLetter(Message<byte[]> record, Decoded<WindowAggregate> decoded) {
		this.deadLetters.deadLetter(record, decoded, this.source, "WindowAggregate");
		deadlettered(decoded.reason()).increment();
	}

	private Counter alerts(AlertStatus status, String severity) {
		return Counter.builder("millrace.alerting.alerts")
			.description("Alert state changes published, by status and severity")
			.tag("status", status.name().toLowerCase(Locale.ROOT))
			.tag("severity", severity)
			.register(this.registry);
	}

	private Counter deadlettered(String reason) {
		return Counter.builder(DEADLETTERED)
			.description("Records of telemetry-aggregates sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

}
