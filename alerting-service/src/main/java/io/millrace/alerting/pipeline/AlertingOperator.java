package io.millrace.alerting.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.millrace.alerting.delivery.AttemptResult;
import io.millrace.alerting.delivery.RetrySchedule;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.evaluation.RuleEvaluator;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.Outputs;
import io.millrace.runtime.operator.PartitionOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * alerting-service as an operator of the streaming runtime. Per input partition of
 * {@code telemetry-aggregates} its state is the rule evaluator's (per fingerprint: the
 * last window evaluated and the firing alert) and the delivery outbox: one entry per
 * (notification, subscription) with the notification id, the body, the attempts made and
 * when the next is due. Both are checkpointed with the consumed offsets, and every alert
 * goes to {@code alerts} through the runtime's outputs, published with the checkpoint, so
 * a crash neither loses nor repeats a notification decision.
 * <p>
 * Delivery runs beside the task: on each timer tick, results of finished attempts are
 * applied to the outbox (delivered: removed; failed: rescheduled on the retry schedule,
 * or dead-lettered once it is spent; 410 Gone: the subscription is disabled), then due
 * entries are handed to the {@link Attempts}, one in flight per subscription. An attempt
 * made after the last checkpoint is made again after a crash, with the same
 * {@code webhook-id}: delivery is at least once.
 */
final class AlertingOperator implements Operator<WindowAggregate> {

	private static final Logger logger = LoggerFactory.getLogger(AlertingOperator.class);

	private static final int SNAPSHOT_VERSION = 1;

	private final RuleEvaluator evaluator;

	private final Subscriptions subscriptions;

	private final PayloadWriter payloads;

	private final RetrySchedule schedule;

	private final Attempts attempts;

	private final AlertingMetrics metrics;

	private final Clock clock;

	private final String source;

	/** Per owned input partition, its outbox in the order notifications were made. */
	private final Map<String, Map<String, OutboxEntry>> outboxes = new TreeMap<>();

	/** Subscription id to the entry whose attempt is in flight. */
	private final Map<String, String> inFlight = new HashMap<>();

	/** Subscriptions whose receiver answered 410 Gone, until the next start. */
	private final Set<String> disabled = new HashSet<>();

	private volatile OutboxStatus status = new OutboxStatus(0, 0, 0);

	AlertingOperator(RuleEvaluator evaluator, Subscriptions subscriptions, PayloadWriter payloads,
			RetrySchedule schedule, Attempts attempts, AlertingMetrics metrics, Clock clock, String source) {
		this.evaluator = evaluator;
		this.subscriptions = subscriptions;
		this.payloads = payloads;
		this.schedule = schedule;
		this.attempts = attempts;
		this.metrics = metrics;
		this.clock = clock;
		this.source = source;
	}

	@Override
	public void process(InputRecord<WindowAggregate> record, Outputs out) {
		this.metrics.evaluated();
		Optional<AlertEvent> change = this.evaluator.evaluate(record.partition(), record.value());
		if (change.isEmpty()) {
			return;
		}
		AlertEvent alert = change.get();
		out.emit(AlertOutputs.alert(alert));
		this.metrics.alerts(alert.status(), alert.severity()).increment();
		logger.info("Alert {} {} for {} {}: {}", alert.status(), alert.ruleId(), alert.sensorId(), alert.metric(),
				(alert.annotations() != null) ? alert.annotations().get("summary") : "");
		String notificationId = notificationId(alert);
		long now = this.clock.millis();
		Map<String, OutboxEntry> outbox = outbox(record.partition());
		for (Subscriptions.Subscription subscription : this.subscriptions.matching(alert)) {
			byte[] body = this.payloads.write(subscription.format(), alert, notificationId, subscription.id());
			OutboxEntry entry = new OutboxEntry(notificationId, subscription.id(), alert.sensorId(), body, 0, now, now,
					"");
			outbox.putIfAbsent(entry.key(), entry);
		}
	}

	/**
	 * The Standard Webhooks {@code webhook-id}: the same for the same alert, so every
	 * attempt, and every replay after a crash, carries it.
	 */
	static String notificationId(AlertEvent alert) {
		return "msg_" + alert.alertId().replace("-", "");
	}

	@Override
	public void onTimer(long now, PartitionOutputs out) {
		for (DeliveryWorker.Result result : this.attempts.drain()) {
			apply(result, now, out);
		}
		dispatch(now, out);
	}

	private void apply(DeliveryWorker.Result result, long now, PartitionOutputs out) {
		this.inFlight.remove(result.subscriptionId(), result.entryKey());
		Map<String, OutboxEntry> outbox = this.outboxes.get(result.partition());
		OutboxEntry entry = (outbox != null) ? outbox.get(result.entryKey()) : null;
		if (entry == null) {
			// Its partition moved away meanwhile; its new owner delivers it.
			return;
		}
		Outputs outputs = out.of(result.partition());
		AttemptResult attempt = result.attempt();
		this.metrics.attempts(attempt.outcome()).increment();
		OutboxEntry attempted = entry.retryAt(0, attempt.detail());
		switch (attempt.outcome()) {
			case DELIVERED -> {
				outbox.remove(entry.key());
				outputs.stateChanged();
				this.metrics.deliveries("delivered").increment();
				logger.debug("Delivered {} to {} (attempt {})", entry.notificationId(), entry.subscriptionId(),
						attempted.attempts());
			}
			case RETRY -> {
				Optional<Instant> next = this.schedule.nextAttemptAt(attempted.attempts(), Instant.ofEpochMilli(now),
						attempt.retryAfter());
				if (next.isPresent()) {
					outbox.put(entry.key(), entry.retryAt(next.get().toEpochMilli(), attempt.detail()));
					outputs.stateChanged();
					logger.warn("Attempt {} of {} to subscription {} failed ({}); next attempt at {}",
							attempted.attempts(), entry.notificationId(), entry.subscriptionId(), attempt.detail(),
							next.get());
				}
				else {
					deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_UNDELIVERED,
							"Gave up after " + attempted.attempts() + " attempts: " + attempt.detail(), outputs);
				}
			}
			case GONE -> {
				if (this.disabled.add(entry.subscriptionId())) {
					logger.error("The receiver of subscription {} answered 410 Gone: the subscription is disabled "
							+ "until it is configured again and the service restarts", entry.subscriptionId());
				}
				deadLetter(result.partition(), attempted, AlertOutputs.SUBSCRIPTION_GONE, attempt.detail(), outputs);
			}
			case REJECTED ->
				deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_REJECTED, attempt.detail(), outputs);
			case REFUSED ->
				deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_REFUSED, attempt.detail(), outputs);
		}
	}

	private void dispatch(long now, PartitionOutputs out) {
		for (Map.Entry<String, Map<String, OutboxEntry>> partition : this.outboxes.entrySet()) {
			for (OutboxEntry entry : new ArrayList<>(partition.getValue().values())) {
				Subscriptions.Subscription subscription = this.subscriptions.get(entry.subscriptionId());
				if (subscription == null) {
					deadLetter(partition.getKey(), entry, AlertOutputs.SUBSCRIPTION_REMOVED,
							"Subscription " + entry.subscriptionId() + " is no longer configured",
							out.of(partition.getKey()));
					continue;
				}
				if (this.disabled.contains(subscription.id())) {
					deadLetter(partition.getKey(), entry, AlertOutputs.SUBSCRIPTION_GONE,
							"Subscription " + subscription.id() + " was disabled after its receiver answered 410 Gone",
							out.of(partition.getKey()));
					continue;
				}
				if (entry.nextAttemptAt() > now || this.inFlight.containsKey(subscription.id())) {
					continue;
				}
				WebhookRequest request = subscription.request(entry);
				this.inFlight.put(subscription.id(), entry.key());
				this.attempts.submit(partition.getKey(), entry.key(), subscription.id(), request);
			}
		}
	}

	private void deadLetter(String partition, OutboxEntry entry, String reason, String detail, Outputs out) {
		this.outboxes.get(partition).remove(entry.key());
		out.emit(AlertOutputs.undelivered(entry, reason, detail, this.source, partition));
		this.metrics.deliveries("failed").increment();
		this.metrics.webhookDeadLettered(reason).increment();
		logger.error("Notification {} to subscription {} dead-lettered after {} attempts ({}): {}",
				entry.notificationId(), entry.subscriptionId(), entry.attempts(), reason, detail);
	}

	private Map<String, OutboxEntry> outbox(String partition) {
		return this.outboxes.computeIfAbsent(partition, (key) -> new LinkedHashMap<>());
	}

	@Override
	public byte[] snapshot(String partition) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(SNAPSHOT_VERSION);
			byte[] evaluation = this.evaluator.snapshot(partition);
			out.writeInt(evaluation.length);
			out.write(evaluation);
			Map<String, OutboxEntry> outbox = this.outboxes.getOrDefault(partition, Map.of());
			out.writeInt(outbox.size());
			for (OutboxEntry entry : outbox.values()) {
				entry.writeTo(out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public void restore(String partition, byte[] state) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
			int version = in.readInt();
			if (version != SNAPSHOT_VERSION) {
				throw new IllegalStateException("Unknown alerting snapshot version " + version);
			}
			byte[] evaluation = new byte[in.readInt()];
			in.readFully(evaluation);
			int count = in.readInt();
			Map<String, OutboxEntry> outbox = new LinkedHashMap<>();
			for (int i = 0; i < count; i++) {
				OutboxEntry entry = OutboxEntry.readFrom(in);
				outbox.put(entry.key(), entry);
			}
			this.evaluator.restore(partition, evaluation);
			this.outboxes.put(partition, outbox);
			if (!outbox.isEmpty()) {
				logger.info("Partition {}: {} notifications restored to the outbox", partition, outbox.size());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void release(String partition) {
		this.evaluator.release(partition);
		this.outboxes.remove(partition);
	}

	@Override
	public void publishStatus() {
		long entries = 0;
		long oldest = Long.MAX_VALUE;
		for (Map<String, OutboxEntry> outbox : this.outboxes.values()) {
			entries += outbox.size();
			for (OutboxEntry entry : outbox.values()) {
				oldest = Math.min(oldest, entry.createdAt());
			}
		}
		double age = (entries == 0) ? 0 : Math.max(0, this.clock.millis() - oldest) / 1000.0;
		this.status = new OutboxStatus(entries, age, this.disabled.size());
	}

	/** What was last published; never waits for processing. */
	OutboxStatus status() {
		return this.status;
	}

	/** The outbox of a partition, for tests. */
	List<OutboxEntry> outboxOf(String partition) {
		return List.copyOf(this.outboxes.getOrDefault(partition, Map.of()).values());
	}

	/**
	 * The outbox's figures for metrics.
	 *
	 * @param entries notifications not yet delivered or dead-lettered
	 * @param oldestAgeSeconds how long the oldest has waited
	 * @param disabledSubscriptions subscriptions disabled by 410 Gone
	 */
	record OutboxStatus(long entries, double oldestAgeSeconds, int disabledSubscriptions) {
	}

	/** Where attempts are made, off the task's thread. */
	interface Attempts {

		/**
		 * Start an attempt.
		 * @param partition the entry's partition
		 * @param entryKey the entry
		 * @param subscriptionId its subscription
		 * @param request the request
		 */
		void submit(String partition, String entryKey, String subscriptionId, WebhookRequest request);

		/**
		 * @return the results that came back since the last call
		 */
		List<DeliveryWorker.Result> drain();

	}

}
