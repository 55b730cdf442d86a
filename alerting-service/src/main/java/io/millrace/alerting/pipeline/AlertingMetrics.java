package io.millrace.alerting.pipeline;

import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.delivery.AttemptOutcome;
import io.millrace.model.alert.AlertStatus;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.task.TaskListener;

/**
 * alerting-service's {@code millrace_alerting_*} metrics: evaluations, alerts, dead
 * letters, delivery attempts and outcomes, and the outbox. Counters that operators alert
 * on exist at 0 from the start, so that {@code increase()} sees the first one.
 */
final class AlertingMetrics implements TaskListener {

	private final MeterRegistry registry;

	private final Counter evaluations;

	AlertingMetrics(MeterRegistry registry, String severity) {
		this.registry = registry;
		this.evaluations = Counter.builder("millrace.alerting.evaluations")
			.description("Window aggregates evaluated against the rule")
			.register(registry);
		for (String reason : new String[] { DeadLetters.UNDECODABLE, DeadLetters.SCHEMA_INVALID,
				DeadLetters.OPERATOR_FAILED }) {
			deadLettered(reason, 0);
		}
		for (AlertStatus status : AlertStatus.values()) {
			alerts(status, severity);
		}
		for (AttemptOutcome outcome : AttemptOutcome.values()) {
			attempts(outcome);
		}
		deliveries("delivered");
		deliveries("failed");
		for (String reason : AlertOutputs.WEBHOOK_REASONS) {
			webhookDeadLettered(reason);
		}
	}

	void gauges(Supplier<AlertingOperator.OutboxStatus> status) {
		Gauge.builder("millrace.alerting.outbox.entries", () -> status.get().entries())
			.description(
					"Notifications in the delivery outbox (one per subscription), not yet delivered or dead-lettered")
			.register(this.registry);
		Gauge.builder("millrace.alerting.outbox.oldest.age", () -> status.get().oldestAgeSeconds())
			.description("How long the oldest notification in the outbox has waited, 0 when empty")
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.alerting.subscriptions.disabled", () -> status.get().disabledSubscriptions())
			.description("Subscriptions disabled since start because their receiver answered 410 Gone")
			.register(this.registry);
	}

	@Override
	public void deadLettered(String reason) {
		deadLettered(reason, 1);
	}

	private void deadLettered(String reason, int count) {
		Counter.builder("millrace.alerting.deadlettered")
			.description("Records of telemetry-aggregates sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(count);
	}

	void evaluated() {
		this.evaluations.increment();
	}

	Counter alerts(AlertStatus status, String severity) {
		return Counter.builder("millrace.alerting.alerts")
			.description("Alert state changes published, by status and severity")
			.tag("status", status.name().toLowerCase(Locale.ROOT))
			.tag("severity", severity)
			.register(this.registry);
	}

	Counter attempts(AttemptOutcome outcome) {
		return Counter.builder("millrace.alerting.webhook.attempts")
			.description("Webhook delivery attempts, by what the attempt meant")
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(this.registry);
	}

	Counter deliveries(String outcome) {
		return Counter.builder("millrace.alerting.webhook.deliveries")
			.description("Notifications delivered, or given up on (dead-lettered), by outcome")
			.tag("outcome", outcome)
			.register(this.registry);
	}

	Counter webhookDeadLettered(String reason) {
		return Counter.builder("millrace.alerting.webhook.deadlettered")
			.description("Notifications dead-lettered to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

}
