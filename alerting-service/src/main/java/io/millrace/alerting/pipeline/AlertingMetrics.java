package io.millrace.alerting.pipeline;

import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.delivery.AttemptOutcome;
import io.millrace.model.alert.AlertStatus;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.task.StreamTask;
import io.millrace.runtime.task.TaskListener;

/**
 * alerting-service's {@code millrace_alerting_*} metrics: evaluations, alerts, dead
 * letters, delivery attempts and outcomes, and the outbox. Counters that operators alert
 * on exist at 0 from the start, so that {@code increase()} sees the first one.
 */
final class AlertingMetrics implements TaskListener {

	private final MeterRegistry registry;

	private final Counter evaluations;

	private final Counter silenced;

	/**
	 * @param registry where the meters go
	 * @param input which input this task reads: {@code aggregates} or {@code readings}
	 */
	AlertingMetrics(MeterRegistry registry, String input) {
		this.registry = registry;
		this.evaluations = Counter.builder("millrace.alerting.evaluations")
			.description("Input records (window aggregates, raw readings) evaluated against the rules, by input")
			.tag("input", input)
			.register(registry);
		this.silenced = Counter.builder("millrace.alerting.notifications.silenced")
			.description("Alert state changes not notified because a silence covered them")
			.register(registry);
		for (String reason : new String[] { DeadLetters.UNDECODABLE, DeadLetters.SCHEMA_INVALID,
				DeadLetters.OPERATOR_FAILED }) {
			deadLettered(reason, 0);
		}
		for (String reason : new String[] { "delivery-pending", "delivery-failed", "fenced", "storage", "error" }) {
			checkpointSkipped(reason, 0);
		}
		skipped(DeadLetters.UNDECODABLE, 0);
		skipped(DeadLetters.SCHEMA_INVALID, 0);
		for (AlertStatus status : AlertStatus.values()) {
			alerts(status, "warning");
			alerts(status, "critical");
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
			.description("Subscriptions that receive nothing: disabled after 410 Gone, failing too long, or by a user")
			.register(this.registry);
	}

	/**
	 * The gauges of one task: how old its last complete checkpoint is, and how long its
	 * input has been held on a failing batch.
	 * @param input {@code aggregates} or {@code readings}
	 * @param task the task
	 */
	void task(String input, StreamTask<?> task) {
		Gauge
			.builder("millrace.alerting.checkpoint.age",
					() -> secondsSince(task.status().lastCheckpointAt(), Double.NaN))
			.description("Processing time since the task's last complete checkpoint (NaN before the first): "
					+ "alerts and delivery-log records wait for it")
			.tag("input", input)
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.alerting.input.stalled", () -> secondsSince(task.status().failingSince(), 0))
			.description("How long the task's input has been held on a failing batch (0 while it runs)")
			.tag("input", input)
			.baseUnit("seconds")
			.register(this.registry);
	}

	/**
	 * Processing time since a moment in epoch milliseconds; {@code never} when it is 0.
	 */
	private static double secondsSince(long at, double never) {
		return (at == 0) ? never : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
	}

	@Override
	public void checkpointSkipped(String reason) {
		checkpointSkipped(reason, 1);
	}

	private void checkpointSkipped(String reason, int count) {
		Counter.builder("millrace.alerting.checkpoint.skipped")
			.description("Checkpoints not written (or partitions left out of one), by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(count);
	}

	@Override
	public void rejectedSkipped(String reason) {
		skipped(reason, 1);
	}

	private void skipped(String reason, int count) {
		Counter.builder("millrace.alerting.skipped")
			.description(
					"Records of telemetry-raw that are not readings, skipped (processing-service dead-letters them)")
			.tag("reason", reason)
			.register(this.registry)
			.increment(count);
	}

	@Override
	public void deadLettered(String reason) {
		deadLettered(reason, 1);
	}

	private void deadLettered(String reason, int count) {
		Counter.builder("millrace.alerting.deadlettered")
			.description("Input records sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment(count);
	}

	void evaluated() {
		this.evaluations.increment();
	}

	Counter silenced() {
		return this.silenced;
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
