package io.millrace.alerting.pipeline;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

import io.millrace.alerting.catalog.AlertingCatalog;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.delivery.AttemptResult;
import io.millrace.alerting.delivery.RetrySchedule;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.deliverylog.DeliveryRecord;
import io.millrace.alerting.deliverylog.RedeliveryInbox;
import io.millrace.alerting.lifecycle.AlertLifecycle;
import io.millrace.alerting.lifecycle.CompactInput;
import io.millrace.alerting.lifecycle.CompactOutput;
import io.millrace.alerting.lifecycle.Fingerprints;
import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.Outputs;
import io.millrace.runtime.operator.PartitionOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * alerting-service as an operator of the streaming runtime, over one input: final window
 * aggregates ({@code telemetry-aggregates}: threshold, rate-of-change, anomaly rules) or
 * raw readings ({@code telemetry-raw}: instant and absence rules). Per input partition
 * its state is the {@link AlertLifecycle}'s (pending, firing, the memory each rule needs)
 * and the delivery outbox: one entry per (notification, subscription) with the
 * notification id, the body, the attempts made and when the next is due. Both are
 * checkpointed with the consumed offsets, and every alert goes to {@code alerts} through
 * the runtime's outputs, published with the checkpoint, so a crash neither loses nor
 * repeats a notification decision.
 * <p>
 * Rules, silences and subscriptions come from the {@link AlertingCatalog}, re-read on
 * every record and tick. Processing time reaches the engine on every tick
 * ({@link AlertLifecycle#advance}): absence and no-data alerts fire without waiting for a
 * record.
 * <p>
 * Delivery runs beside the task: a new entry is attempted at once when its subscription
 * has nothing in flight; on each tick, results of finished attempts are applied to the
 * outbox (delivered: removed; failed: rescheduled on the retry schedule, or dead-lettered
 * once it is spent; 410 Gone, or failing for longer than {@code disableAfter}: the
 * subscription is disabled in the catalog and an alert says so), then due entries are
 * handed to the {@link Attempts}, one in flight per subscription. An attempt made after
 * the last checkpoint is made again after a crash, with the same {@code webhook-id}:
 * delivery is at least once.
 *
 * @param <T> the input contract
 */
final class AlertingOperator<T> implements Operator<T> {

	/** The rule id of the alert that says a subscription was disabled. */
	static final String SUBSCRIPTION_DISABLED_RULE = "millrace.subscription-disabled";

	private static final Logger logger = LoggerFactory.getLogger(AlertingOperator.class);

	/** Versions 2 and 3 wrote a DataOutput; 4 is {@link CompactOutput}. */
	private static final int SNAPSHOT_VERSION = 4;

	/** The changes since the last snapshot, after version 4 snapshots. */
	private static final int CHANGES_VERSION = 0x4D524f63;

	/** How long a redelivery request is remembered as handled, and acted on at all. */
	private static final long REQUEST_HORIZON = Duration.ofDays(7).toMillis();

	/**
	 * How often processing time is handed to the engine: it walks every series, and the
	 * task is also ticked after each delivery result.
	 */
	private static final long ADVANCE_EVERY = 200;

	/** How often the outbox's figures are recomputed for the metrics. */
	private static final long STATUS_EVERY = 1000;

	/**
	 * How long a request waits for its partition to be owned here before it is let go.
	 */
	private static final long REQUEST_WAIT = Duration.ofMinutes(10).toMillis();

	private final String input;

	private final AlertLifecycle lifecycle;

	private final BiFunction<String, T, List<AlertEvent>> evaluation;

	private final CatalogView catalog;

	private final AlertingCatalog source;

	private final Delivery delivery;

	private final Attempts attempts;

	private final RedeliveryInbox redeliveries;

	private final AlertingMetrics metrics;

	private final Clock clock;

	/** Per owned input partition, its outbox in the order notifications were made. */
	private final Map<String, PartitionOutbox> outboxes = new TreeMap<>();

	/**
	 * Per partition, the checksum of the last snapshot or changes taken or restored: the
	 * next changes name it, so a restore refuses changes that do not follow it.
	 */
	private final Map<String, Integer> lastSegment = new HashMap<>();

	/** The outboxes' entries by subscription and due time, to choose attempts quickly. */
	private final DueIndex due = new DueIndex();

	/** Per owned input partition, the redelivery requests it carried out, with when. */
	private final Map<String, Map<String, Long>> handledRequests = new TreeMap<>();

	/** Requests for partitions not (yet) owned here. */
	private final List<DeliveryRecord> waitingRequests = new ArrayList<>();

	/** Subscription id to the entry whose attempt is in flight. */
	private final Map<String, String> inFlight = new HashMap<>();

	/** Subscription id to when its receiver started failing, since its last success. */
	private final Map<String, Long> failingSince = new HashMap<>();

	/** Disabled here, before the catalog shows it. */
	private final Set<String> disabledHere = new HashSet<>();

	private volatile OutboxStatus status = new OutboxStatus(0, 0, 0);

	private long lastAdvance;

	private long lastStatus;

	/**
	 * @param input what it reads, as the delivery log names it: {@code aggregates} or
	 * {@code readings}
	 * @param lifecycle this operator's own engine
	 * @param evaluation how one input record is evaluated by the engine
	 * @param catalog the rules, silences and subscriptions
	 * @param delivery how notifications are written, retried and given up on
	 * @param attempts where attempts are made
	 * @param redeliveries redelivery requests for this input
	 * @param metrics the metrics
	 * @param clock processing time
	 */
	AlertingOperator(String input, AlertLifecycle lifecycle, BiFunction<String, T, List<AlertEvent>> evaluation,
			AlertingCatalog catalog, Delivery delivery, Attempts attempts, RedeliveryInbox redeliveries,
			AlertingMetrics metrics, Clock clock) {
		this.input = input;
		this.lifecycle = lifecycle;
		this.evaluation = evaluation;
		this.source = catalog;
		this.catalog = new CatalogView(catalog);
		this.delivery = delivery;
		this.attempts = attempts;
		this.redeliveries = redeliveries;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * The operator of final window aggregates.
	 */
	static AlertingOperator<WindowAggregate> ofAggregates(AlertingCatalog catalog, SensorTags tags, Delivery delivery,
			Attempts attempts, RedeliveryInbox redeliveries, AlertingMetrics metrics, Clock clock) {
		AlertLifecycle lifecycle = new AlertLifecycle(List.of(), tags);
		return new AlertingOperator<>("aggregates", lifecycle, lifecycle::onAggregate, catalog, delivery, attempts,
				redeliveries, metrics, clock);
	}

	/**
	 * The operator of raw readings.
	 */
	static AlertingOperator<TelemetryEvent> ofReadings(AlertingCatalog catalog, SensorTags tags, Delivery delivery,
			Attempts attempts, RedeliveryInbox redeliveries, AlertingMetrics metrics, Clock clock) {
		AlertLifecycle lifecycle = new AlertLifecycle(List.of(), tags);
		return new AlertingOperator<>("readings", lifecycle, lifecycle::onEvent, catalog, delivery, attempts,
				redeliveries, metrics, clock);
	}

	@Override
	public void process(InputRecord<T> record, Outputs out) {
		this.catalog.refresh(this.lifecycle);
		this.handledRequests.computeIfAbsent(record.partition(), (partition) -> new TreeMap<>());
		this.metrics.evaluated();
		List<AlertEvent> changes = this.evaluation.apply(record.partition(), record.value());
		if (!changes.isEmpty()) {
			long now = this.clock.millis();
			for (AlertEvent alert : changes) {
				publish(record.partition(), alert, now, out);
			}
		}
	}

	/**
	 * Publish a transition to {@code alerts} and put its notifications in the outbox,
	 * attempting each at once when its subscription has nothing in flight.
	 */
	private void publish(String partition, AlertEvent alert, long now, Outputs out) {
		out.emit(AlertOutputs.alert(alert));
		this.metrics.alerts(alert.status(), alert.severity()).increment();
		logger.info("Alert {} {} for {} {}: {}", alert.status(), alert.ruleId(), alert.sensorId(), alert.metric(),
				(alert.annotations() != null) ? alert.annotations().get("summary") : "");
		if (!this.catalog.notifies(alert)) {
			return;
		}
		List<String> silencing = this.catalog.silencing(alert, Instant.ofEpochMilli(now));
		if (!silencing.isEmpty()) {
			this.metrics.silenced().increment();
			logger.info("Alert {} {} for {} not notified: silenced by {}", alert.status(), alert.ruleId(),
					alert.sensorId(), silencing);
			return;
		}
		String notificationId = notificationId(alert);
		PartitionOutbox outbox = outbox(partition);
		// Every attempt first, the delivery log's records after: the log is only sent
		// with the next checkpoint anyway, and the hundredth subscription of an alert
		// should not wait for the records of the ninety-nine before it.
		Map<PayloadFormat, byte[]> bodies = new EnumMap<>(PayloadFormat.class);
		List<OutboxEntry> made = new ArrayList<>();
		for (Subscription subscription : this.catalog.recipients(alert)) {
			if (this.disabledHere.contains(subscription.id())) {
				continue;
			}
			byte[] body = subscription.format().namesReceiver()
					? this.delivery.payloads().write(subscription.format(), alert, notificationId, subscription.id())
					: bodies.computeIfAbsent(subscription.format(),
							(format) -> this.delivery.payloads().write(format, alert, notificationId, null));
			OutboxEntry entry = new OutboxEntry(notificationId, subscription.id(), alert.sensorId(), body, 0, now, now,
					"");
			if (outbox.insertIfAbsent(entry)) {
				this.due.put(partition, entry);
				made.add(entry);
				if (!this.inFlight.containsKey(subscription.id())) {
					attempt(partition, entry, subscription, now);
				}
			}
		}
		Map<byte[], String> encoded = new IdentityHashMap<>();
		for (OutboxEntry entry : made) {
			out.emit(new DeliveryRecord(DeliveryRecord.Status.PENDING, notificationId, entry.subscriptionId(),
					Instant.ofEpochMilli(now), 0, 0, null, null, null, alert.alertId(), alert.ruleId(),
					alert.fingerprint(), alert.sensorId(), alert.status().name().toLowerCase(Locale.ROOT), this.input,
					partition,
					encoded.computeIfAbsent(entry.payload(), (body) -> Base64.getEncoder().encodeToString(body)), null)
				.toOutputRecord());
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
		this.catalog.refresh(this.lifecycle);
		if (now - this.lastAdvance >= ADVANCE_EVERY) {
			this.lastAdvance = now;
			Instant at = Instant.ofEpochMilli(now);
			for (String partition : this.lifecycle.partitions()) {
				for (AlertEvent alert : this.lifecycle.advance(partition, at)) {
					publish(partition, alert, now, out.of(partition));
				}
			}
		}
		for (DeliveryWorker.Result result : this.attempts.drain()) {
			apply(result, now, out);
		}
		redeliver(now, out);
		dispatch(now, out);
	}

	/**
	 * Put the notifications someone asked to redeliver back in the outbox, with the same
	 * {@code webhook-id} and a fresh schedule: those of partitions owned here, once each.
	 */
	private void redeliver(long now, PartitionOutputs out) {
		List<DeliveryRecord> requests = new ArrayList<>(this.waitingRequests);
		this.waitingRequests.clear();
		requests.addAll(this.redeliveries.drain(this.input));
		for (DeliveryRecord request : requests) {
			long requestedAt = request.at().toEpochMilli();
			Map<String, Long> handled = this.handledRequests.get(request.partition());
			if (now - requestedAt > REQUEST_HORIZON) {
				continue;
			}
			if (handled == null) {
				if (now - requestedAt < REQUEST_WAIT) {
					this.waitingRequests.add(request);
				}
				continue;
			}
			if (handled.putIfAbsent(request.requestId(), now) != null) {
				continue;
			}
			Outputs outputs = out.of(request.partition());
			OutboxEntry entry = new OutboxEntry(request.notificationId(), request.subscriptionId(), request.sensorId(),
					Base64.getDecoder().decode(request.body()), 0, now, now, "");
			if (outbox(request.partition()).insertIfAbsent(entry)) {
				this.due.put(request.partition(), entry);
				outputs.emit((new DeliveryRecord(DeliveryRecord.Status.PENDING, request.notificationId(),
						request.subscriptionId(), Instant.ofEpochMilli(now), 0, 0, null,
						"redelivery " + request.requestId(), null, null, null, null, request.sensorId(), null,
						this.input, request.partition(), request.body(), request.requestId()))
					.toOutputRecord());
				logger.info("Notification {} to subscription {} redelivered on request {}", request.notificationId(),
						request.subscriptionId(), request.requestId());
			}
			outputs.stateChanged();
		}
	}

	private void apply(DeliveryWorker.Result result, long now, PartitionOutputs out) {
		this.inFlight.remove(result.subscriptionId(), result.entryKey());
		PartitionOutbox outbox = this.outboxes.get(result.partition());
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
				this.due.remove(result.partition(), entry.key());
				outputs.emit(
						attemptRecord(DeliveryRecord.Status.DELIVERED, attempted, result, now, null).toOutputRecord());
				outputs.stateChanged();
				this.failingSince.remove(entry.subscriptionId());
				this.metrics.deliveries("delivered").increment();
				logger.debug("Delivered {} to {} (attempt {})", entry.notificationId(), entry.subscriptionId(),
						attempted.attempts());
			}
			case RETRY -> {
				Optional<Instant> next = this.delivery.schedule()
					.nextAttemptAt(attempted.attempts(), Instant.ofEpochMilli(now), attempt.retryAfter());
				if (next.isPresent()) {
					OutboxEntry retry = entry.retryAt(next.get().toEpochMilli(), attempt.detail());
					outbox.replace(retry);
					this.due.put(result.partition(), retry);
					outputs.emit(attemptRecord(DeliveryRecord.Status.RETRYING, attempted, result, now, next.get())
						.toOutputRecord());
					outputs.stateChanged();
					logger.warn("Attempt {} of {} to subscription {} failed ({}); next attempt at {}",
							attempted.attempts(), entry.notificationId(), entry.subscriptionId(), attempt.detail(),
							next.get());
				}
				else {
					deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_UNDELIVERED,
							"Gave up after " + attempted.attempts() + " attempts: " + attempt.detail(), outputs,
							result);
				}
				long since = this.failingSince.computeIfAbsent(entry.subscriptionId(), (id) -> now);
				if (now - since >= this.delivery.disableAfter().toMillis()) {
					disable(result.partition(), entry.subscriptionId(), "its receiver has failed every attempt for "
							+ Duration.ofMillis(now - since).toMinutes() + " min (last: " + attempt.detail() + ")", now,
							outputs);
				}
			}
			case GONE -> {
				disable(result.partition(), entry.subscriptionId(),
						"its receiver answered 410 Gone (" + attempt.detail() + ")", now, outputs);
				deadLetter(result.partition(), attempted, AlertOutputs.SUBSCRIPTION_GONE, attempt.detail(), outputs,
						result);
			}
			case REJECTED -> deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_REJECTED, attempt.detail(),
					outputs, result);
			case REFUSED -> deadLetter(result.partition(), attempted, AlertOutputs.WEBHOOK_REFUSED, attempt.detail(),
					outputs, result);
		}
	}

	/**
	 * Stop delivering to a subscription, for every replica (the catalog persists it), and
	 * say so on {@code alerts}, where other subscriptions hear of it.
	 */
	private void disable(String partition, String subscriptionId, String reason, long now, Outputs out) {
		if (!this.disabledHere.add(subscriptionId)) {
			return;
		}
		this.failingSince.remove(subscriptionId);
		logger.error("Subscription {} is disabled: {}. Enable it again through the subscriptions API", subscriptionId,
				reason);
		this.source.disableSubscription(subscriptionId, reason, Instant.ofEpochMilli(now));
		publish(partition, subscriptionDisabled(subscriptionId, reason, now), now, out);
	}

	/**
	 * The alert that a subscription was disabled: keyed by the subscription, with its id
	 * in place of a sensor, so filters on rule {@value #SUBSCRIPTION_DISABLED_RULE} or
	 * label {@code subscription} route it to whoever runs the receivers.
	 */
	static AlertEvent subscriptionDisabled(String subscriptionId, String reason, long now) {
		String fingerprint = Fingerprints.fingerprint(SUBSCRIPTION_DISABLED_RULE, subscriptionId, "webhook");
		Instant at = Instant.ofEpochMilli(now);
		Map<String, String> labels = new TreeMap<>();
		labels.put("rule", SUBSCRIPTION_DISABLED_RULE);
		labels.put("subscription", subscriptionId);
		labels.put("severity", "critical");
		return new AlertEvent(Fingerprints.alertId(fingerprint, at, AlertStatus.FIRING), SUBSCRIPTION_DISABLED_RULE,
				fingerprint, AlertStatus.FIRING, "critical", subscriptionId, "webhook", 1, 0, null, at, null, labels,
				Map.of("summary", "Webhook subscription " + subscriptionId + " was disabled: " + reason));
	}

	/**
	 * Attempt, per subscription with nothing in flight, its earliest due notification;
	 * dead-letter what waits for a subscription that is gone or disabled.
	 */
	private void dispatch(long now, PartitionOutputs out) {
		for (String subscriptionId : List.copyOf(this.due.subscriptions())) {
			Subscription subscription = this.catalog.subscription(subscriptionId);
			if (subscription == null || !subscription.enabled() || this.disabledHere.contains(subscriptionId)) {
				String reason = (subscription == null) ? AlertOutputs.SUBSCRIPTION_REMOVED
						: AlertOutputs.SUBSCRIPTION_DISABLED;
				String detail = (subscription == null) ? "Subscription " + subscriptionId + " no longer exists"
						: "Subscription " + subscriptionId + " is disabled"
								+ ((subscription.disabledReason() != null) ? ": " + subscription.disabledReason() : "");
				for (DueIndex.Due waiting : this.due.all(subscriptionId)) {
					deadLetter(waiting.partition(), this.outboxes.get(waiting.partition()).get(waiting.entryKey()),
							reason, detail, out.of(waiting.partition()), null);
				}
				continue;
			}
			DueIndex.Due first = this.due.first(subscriptionId);
			if (first.at() > now || this.inFlight.containsKey(subscriptionId)) {
				continue;
			}
			attempt(first.partition(), this.outboxes.get(first.partition()).get(first.entryKey()), subscription, now);
		}
	}

	private void attempt(String partition, OutboxEntry entry, Subscription subscription, long now) {
		this.inFlight.put(subscription.id(), entry.key());
		this.attempts.submit(partition, entry.key(), subscription.id(),
				subscription.request(entry.notificationId(), entry.payload(), Instant.ofEpochMilli(now)));
	}

	/**
	 * Give a notification up: to the dead letters with its attempts, and to the delivery
	 * log.
	 * @param attempt the attempt that ended it, or null when none did
	 */
	private void deadLetter(String partition, OutboxEntry entry, String reason, String detail, Outputs out,
			DeliveryWorker.Result attempt) {
		this.outboxes.get(partition).remove(entry.key());
		this.due.remove(partition, entry.key());
		out.emit(AlertOutputs.undelivered(entry, reason, detail, this.delivery.source(), partition));
		long now = this.clock.millis();
		DeliveryRecord failed = (attempt != null)
				? attemptRecord(DeliveryRecord.Status.FAILED, entry, attempt, now, null)
				: new DeliveryRecord(DeliveryRecord.Status.FAILED, entry.notificationId(), entry.subscriptionId(),
						Instant.ofEpochMilli(now), entry.attempts(), 0, null, reason + ": " + detail, null, null, null,
						null, entry.sensorId(), null, this.input, partition, null, null);
		out.emit(failed.toOutputRecord());
		this.metrics.deliveries("failed").increment();
		this.metrics.webhookDeadLettered(reason).increment();
		logger.error("Notification {} to subscription {} dead-lettered after {} attempts ({}): {}",
				entry.notificationId(), entry.subscriptionId(), entry.attempts(), reason, detail);
	}

	private DeliveryRecord attemptRecord(DeliveryRecord.Status status, OutboxEntry attempted,
			DeliveryWorker.Result result, long now, Instant nextAttemptAt) {
		return new DeliveryRecord(status, attempted.notificationId(), attempted.subscriptionId(),
				Instant.ofEpochMilli(now), attempted.attempts(), result.attempt().statusCode(), result.latencyMillis(),
				result.attempt().detail(), nextAttemptAt, null, null, null, attempted.sensorId(), null, this.input,
				result.partition(), null, null);
	}

	private PartitionOutbox outbox(String partition) {
		return this.outboxes.computeIfAbsent(partition, (key) -> new PartitionOutbox());
	}

	/**
	 * The whole state of a partition: the engine's series, the outbox and the redelivery
	 * requests carried out. The changes after it start here.
	 */
	@Override
	public byte[] snapshot(String partition) {
		byte[] evaluation = this.lifecycle.snapshot(partition);
		PartitionOutbox outbox = outbox(partition);
		CompactOutput out = new CompactOutput(evaluation.length + 64 + outbox.size() * 512);
		out.writeInt(SNAPSHOT_VERSION);
		out.writeBytes(evaluation);
		outbox.writeTo(out);
		writeHandled(partition, out);
		return taken(partition, out.toByteArray());
	}

	/**
	 * What changed in a partition since its last snapshot, full or changes: the series
	 * evaluated or advanced since, the outbox entries made, retried or removed since (an
	 * entry made and delivered in between is not there at all), and the redelivery
	 * requests carried out. A checkpoint of a partition whose deliveries keep up writes
	 * its touched series and almost nothing of the outbox.
	 * @return the changes, or null when this partition has no snapshot to follow here
	 */
	@Override
	public byte[] snapshotChanges(String partition) {
		Integer follows = this.lastSegment.get(partition);
		if (follows == null) {
			return null;
		}
		byte[] evaluation = this.lifecycle.snapshotChanges(partition);
		CompactOutput out = new CompactOutput(evaluation.length + 256);
		out.writeInt(CHANGES_VERSION);
		out.writeInt(follows);
		out.writeBytes(evaluation);
		outbox(partition).writeChangesTo(out);
		writeHandled(partition, out);
		return taken(partition, out.toByteArray());
	}

	private byte[] taken(String partition, byte[] segment) {
		this.lastSegment.put(partition, checksum(segment));
		return segment;
	}

	private static int checksum(byte[] segment) {
		CRC32C crc = new CRC32C();
		crc.update(segment);
		return (int) crc.getValue();
	}

	/** Small (requests are rare and forgotten after a week): whole in every segment. */
	private void writeHandled(String partition, CompactOutput out) {
		Map<String, Long> handled = this.handledRequests.getOrDefault(partition, Map.of());
		long horizon = this.clock.millis() - REQUEST_HORIZON;
		handled.values().removeIf((at) -> at < horizon);
		out.writeVarInt(handled.size());
		for (Map.Entry<String, Long> request : handled.entrySet()) {
			out.writeString(request.getKey());
			out.writeLong(request.getValue());
		}
	}

	@Override
	public void restore(String partition, byte[] state) {
		restore(partition, state, List.of());
	}

	@Override
	public void restore(String partition, byte[] state, List<byte[]> changes) {
		Restored restored = readSnapshot(state);
		List<byte[]> evaluationChanges = new ArrayList<>();
		int previous = checksum(state);
		for (byte[] segment : changes) {
			CompactInput in = new CompactInput(segment, 0);
			if (segment.length < 8 || in.readInt() != CHANGES_VERSION) {
				throw new IllegalStateException("Not alerting state changes of partition " + partition);
			}
			if (in.readInt() != previous) {
				throw new IllegalStateException("Alerting state changes of partition " + partition
						+ " do not follow the segment before them: one is missing, repeated or out of order");
			}
			evaluationChanges.add(in.readBytes());
			restored.outbox().applyChanges(in);
			restored.handled().clear();
			readHandled(in, restored.handled());
			previous = checksum(segment);
		}
		this.lifecycle.restore(partition, restored.evaluation(), evaluationChanges);
		forget(partition);
		PartitionOutbox outbox = PartitionOutbox.of(restored.outbox().values());
		this.outboxes.put(partition, outbox);
		outbox.values().forEach((entry) -> this.due.put(partition, entry));
		this.handledRequests.put(partition, restored.handled());
		this.lastSegment.put(partition, previous);
		if (!outbox.isEmpty()) {
			logger.info("Partition {}: {} notifications restored to the outbox", partition, outbox.size());
		}
	}

	private static Restored readSnapshot(byte[] state) {
		int version = (state.length >= 4) ? new CompactInput(state, 0).readInt() : -1;
		if (version == SNAPSHOT_VERSION) {
			CompactInput in = new CompactInput(state, 4);
			byte[] evaluation = in.readBytes();
			PartitionOutbox outbox = PartitionOutbox.readFrom(in);
			Map<String, Long> handled = new TreeMap<>();
			readHandled(in, handled);
			return new Restored(evaluation, outbox, handled);
		}
		if (version != 3 && version != 2) {
			throw new IllegalStateException("Unknown alerting snapshot version " + version);
		}
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state, 4, state.length - 4))) {
			byte[] evaluation = new byte[in.readInt()];
			in.readFully(evaluation);
			int count = in.readInt();
			List<OutboxEntry> entries = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				entries.add(OutboxEntry.readFrom(in));
			}
			Map<String, Long> handled = new TreeMap<>();
			// Version 2 had no redelivery requests.
			int requests = (version == 2) ? 0 : in.readInt();
			for (int i = 0; i < requests; i++) {
				handled.put(in.readUTF(), in.readLong());
			}
			return new Restored(evaluation, PartitionOutbox.of(entries), handled);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void readHandled(CompactInput in, Map<String, Long> handled) {
		int requests = in.readVarInt();
		for (int i = 0; i < requests; i++) {
			handled.put(in.readString(), in.readLong());
		}
	}

	/** A partition's state as read, before it is installed. */
	private record Restored(byte[] evaluation, PartitionOutbox outbox, Map<String, Long> handled) {
	}

	@Override
	public void release(String partition) {
		this.lifecycle.release(partition);
		forget(partition);
	}

	private void forget(String partition) {
		this.handledRequests.remove(partition);
		this.lastSegment.remove(partition);
		PartitionOutbox outbox = this.outboxes.remove(partition);
		if (outbox != null) {
			outbox.values().forEach((entry) -> this.due.remove(partition, entry.key()));
		}
	}

	@Override
	public void publishStatus() {
		long now = this.clock.millis();
		if (now - this.lastStatus < STATUS_EVERY) {
			// Called after every tick, and the task ticks after every delivery result.
			return;
		}
		this.lastStatus = now;
		long entries = 0;
		long oldest = Long.MAX_VALUE;
		for (PartitionOutbox outbox : this.outboxes.values()) {
			entries += outbox.size();
			for (OutboxEntry entry : outbox.values()) {
				oldest = Math.min(oldest, entry.createdAt());
			}
		}
		double age = (entries == 0) ? 0 : Math.max(0, now - oldest) / 1000.0;
		long disabled = this.source.current().subscriptions().stream().filter((s) -> !s.enabled()).count();
		this.status = new OutboxStatus(entries, age, disabled);
	}

	/** What was last published; never waits for processing. */
	OutboxStatus status() {
		return this.status;
	}

	/** The engine, for the alerts API. */
	AlertLifecycle lifecycle() {
		return this.lifecycle;
	}

	/** The outbox of a partition, for tests. */
	List<OutboxEntry> outboxOf(String partition) {
		PartitionOutbox outbox = this.outboxes.get(partition);
		return (outbox != null) ? List.copyOf(outbox.values()) : List.of();
	}

	/**
	 * The outbox's figures for metrics.
	 *
	 * @param entries notifications not yet delivered or dead-lettered
	 * @param oldestAgeSeconds how long the oldest has waited
	 * @param disabledSubscriptions subscriptions that receive nothing
	 */
	record OutboxStatus(long entries, double oldestAgeSeconds, long disabledSubscriptions) {

		/**
		 * Both operators' outboxes as one; disabled subscriptions are the catalog's, not
		 * summed.
		 */
		OutboxStatus plus(OutboxStatus other) {
			return new OutboxStatus(this.entries + other.entries,
					Math.max(this.oldestAgeSeconds, other.oldestAgeSeconds),
					Math.max(this.disabledSubscriptions, other.disabledSubscriptions));
		}

	}

	/**
	 * How notifications are written and retried.
	 *
	 * @param payloads writes bodies in each format
	 * @param schedule when failed attempts are retried
	 * @param disableAfter how long a receiver may fail every attempt before its
	 * subscription is disabled
	 * @param source the dead letters' source topic
	 */
	record Delivery(PayloadWriter payloads, RetrySchedule schedule, Duration disableAfter, String source) {
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
