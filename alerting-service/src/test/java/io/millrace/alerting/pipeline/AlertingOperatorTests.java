package io.millrace.alerting.pipeline;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.alerting.catalog.AlertingCatalog;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.catalog.SubscriptionFilters;
import io.millrace.alerting.delivery.AttemptOutcome;
import io.millrace.alerting.delivery.AttemptResult;
import io.millrace.alerting.delivery.RetrySchedule;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.deliverylog.DeliveryRecord;
import io.millrace.alerting.deliverylog.RedeliveryInbox;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.alerting.lifecycle.Silence;
import io.millrace.alerting.lifecycle.SilenceMatcher;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.operator.Outputs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The operator's state machine: evaluation through the lifecycle engine, silences, the
 * delivery outbox, snapshot and restore, and what each attempt result does to an entry.
 */
class AlertingOperatorTests {

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	static final String P = "telemetry-aggregates-0";

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

	final RecordingAttempts attempts = new RecordingAttempts();

	final RedeliveryInbox inbox = new RedeliveryInbox();

	static final Rule HOT = rule("{'id': 'hot', 'kind': 'threshold', 'metric': 'temperature', 'statistic': 'max',"
			+ " 'operator': '>', 'threshold': 80, 'severity': 'critical'}");

	final List<Subscription> subscriptions = List.of(
			subscription("all", PayloadFormat.MILLRACE_JSON, SubscriptionFilters.none()),
			subscription("chat", PayloadFormat.ALERTMANAGER_V4,
					new SubscriptionFilters(null, List.of("critical"), null)),
			subscription("other-rule", PayloadFormat.CLOUDEVENTS_STRUCTURED,
					new SubscriptionFilters(List.of("another-rule"), null, null)));

	TestCatalog catalog = new TestCatalog(List.of(HOT), this.subscriptions);

	AlertingOperator<WindowAggregate> operator = operator();

	@Test
	void anAlertGoesToTheAlertsOutputAndToTheOutboxOfEveryMatchingSubscription() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);

		assertThat(out.emitted).hasSize(1);
		OutputRecord alertRecord = out.emitted.get(0);
		assertThat(alertRecord.output()).isEqualTo("alerts");
		assertThat(alertRecord.key()).isEqualTo("s1");
		AlertEvent alert = read(alertRecord.payload());
		assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
		List<OutboxEntry> outbox = this.operator.outboxOf(P);
		assertThat(outbox).extracting(OutboxEntry::subscriptionId).containsExactly("all", "chat");
		assertThat(outbox).extracting(OutboxEntry::notificationId)
			.containsOnly("msg_" + alert.alertId().replace("-", ""));
		assertThat(outbox.get(0).payload()).isEqualTo(alertRecord.payload());
		assertThat(outbox).allSatisfy((entry) -> assertThat(entry.attempts()).isZero());
	}

	@Test
	void aReplayFromTheSameInputMakesIdenticalAlertsAndNotifications() {
		Captured first = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), first);
		this.operator.process(record(aggregate("s1", 1, 60), 1), first);
		AlertingOperator<WindowAggregate> replay = operator();
		Captured second = new Captured();
		replay.process(record(aggregate("s1", 0, 91), 0), second);
		replay.process(record(aggregate("s1", 1, 60), 1), second);

		assertThat(second.emitted).isEqualTo(first.emitted).hasSize(2);
		assertThat(replay.outboxOf(P)).usingRecursiveFieldByFieldElementComparator()
			.isEqualTo(this.operator.outboxOf(P));
	}

	@Test
	void snapshotAndRestoreKeepTheOutboxAndTheFiringAlert() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.attempts.complete(0, AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		byte[] snapshot = this.operator.snapshot(P);

		AlertingOperator<WindowAggregate> restored = operator();
		restored.restore(P, snapshot);
		assertThat(restored.outboxOf(P)).usingRecursiveFieldByFieldElementComparator()
			.isEqualTo(this.operator.outboxOf(P));
		assertThat(restored.outboxOf(P)).filteredOn((entry) -> entry.subscriptionId().equals("all"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.attempts()).isEqualTo(1));
		assertThat(restored.snapshot(P)).isEqualTo(snapshot);

		// Still firing: the same window again, or a later breach, change nothing.
		Captured after = new Captured();
		restored.process(record(aggregate("s1", 0, 91), 0), after);
		restored.process(record(aggregate("s1", 1, 95), 1), after);
		assertThat(after.emitted).isEmpty();
		restored.process(record(aggregate("s1", 2, 60), 2), after);
		assertThat(after.emitted).singleElement()
			.satisfies((record) -> assertThat(read(record.payload()).status()).isEqualTo(AlertStatus.RESOLVED));

		restored.release(P);
		assertThat(restored.outboxOf(P)).isEmpty();
	}

	@Test
	void oneAttemptInFlightPerSubscriptionAndRetriesWaitForTheSchedule() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		// A new notification is attempted at once, not at the next tick.
		assertThat(this.attempts.submitted).extracting(Submitted::subscriptionId).containsExactly("all", "chat");
		this.operator.process(record(aggregate("s2", 0, 91), 1), out);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		// Two subscriptions, two notifications each: one attempt per subscription.
		assertThat(this.attempts.submitted).extracting(Submitted::subscriptionId).containsExactly("all", "chat");

		this.attempts.complete(0, AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		// "all" is free again: its second notification goes; the first waits 5 s.
		assertThat(this.attempts.submitted).hasSize(3);
		assertThat(this.attempts.submitted.get(2).request().notificationId())
			.isNotEqualTo(this.attempts.submitted.get(0).request().notificationId());
		assertThat(out.stateChanges).isPositive();

		this.attempts.complete(2, AttemptOutcome.DELIVERED);
		this.clock.advance(Duration.ofSeconds(6));
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		Submitted retry = this.attempts.submitted.get(3);
		assertThat(retry.request().notificationId())
			.isEqualTo(this.attempts.submitted.get(0).request().notificationId());
		assertThat(retry.request().body()).isEqualTo(this.attempts.submitted.get(0).request().body());
		assertThat(this.operator.outboxOf(P)).hasSize(3);
	}

	@Test
	void aSpentScheduleDeadLettersTheNotificationWithItsAttempts() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		out.emitted.clear();
		for (int attempt = 0; attempt < 3; attempt++) {
			this.operator.onTimer(this.clock.millis(), (partition) -> out);
			this.attempts.completeLast("all", AttemptOutcome.RETRY);
			this.clock.advance(Duration.ofSeconds(10));
		}
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::subscriptionId).doesNotContain("all");
		assertThat(out.emitted).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.output()).isEqualTo(DeadLetters.OUTPUT);
			assertThat(deadLetter.headers()).containsEntry(DeadLetters.ERROR_REASON, "webhook-undelivered")
				.containsEntry("x-millrace-attempts", "3")
				.containsEntry("x-millrace-subscription", "all")
				.containsKey("x-millrace-webhook-id");
		});
	}

	@Test
	void goneDisablesTheSubscriptionAndRejectedIsNotRetried() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.operator.process(record(aggregate("s2", 0, 91), 1), out);
		out.emitted.clear();
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.attempts.completeLast("all", AttemptOutcome.GONE);
		this.attempts.completeLast("chat", AttemptOutcome.REJECTED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		// Both of "all" go (the second because the subscription is now disabled), and the
		// rejected one of "chat".
		assertThat(out.emitted).filteredOn((record) -> record.output().equals(DeadLetters.OUTPUT))
			.extracting((record) -> record.headers().get(DeadLetters.ERROR_REASON))
			.containsExactlyInAnyOrder("subscription-gone", "subscription-disabled", "webhook-rejected");
		// The catalog has it disabled for every replica, and an alert says so (to
		// "chat").
		assertThat(this.catalog.disabled).containsKey("all");
		assertThat(out.emitted).filteredOn((record) -> record.output().equals("alerts"))
			.extracting((record) -> read(record.payload()))
			.singleElement()
			.satisfies((alert) -> {
				assertThat(alert.ruleId()).isEqualTo(AlertingOperator.SUBSCRIPTION_DISABLED_RULE);
				assertThat(alert.labels()).containsEntry("subscription", "all");
				assertThat(alert.annotations().get("summary")).contains("410 Gone");
			});
		this.operator.publishStatus();
		assertThat(this.operator.status().disabledSubscriptions()).isEqualTo(1);
		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsOnly("chat").hasSize(2);
	}

	@Test
	void aReceiverFailingLongerThanAllowedDisablesItsSubscription() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		assertThat(this.catalog.disabled).isEmpty();
		this.clock.advance(Duration.ofHours(2));
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		assertThat(this.catalog.disabled).containsOnlyKeys("all");
		assertThat(this.catalog.disabled.get("all")).contains("failed every attempt for 120 min");
	}

	@Test
	void aSuccessInBetweenResetsTheFailingTime() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.clock.advance(Duration.ofMinutes(61));
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.attempts.completeLast("all", AttemptOutcome.DELIVERED);
		this.operator.process(record(aggregate("s2", 0, 91), 1), out);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.clock.advance(Duration.ofMinutes(61));
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		assertThat(this.catalog.disabled).isEmpty();
	}

	@Test
	void anInstantRuleNotifiesFromTheReadingItself() {
		this.catalog.replace(List.of(rule("{'id': 'hot-now', 'kind': 'instant', 'metric': 'temperature',"
				+ " 'operator': '>', 'threshold': 80, 'severity': 'critical'}")));
		AlertingOperator<TelemetryEvent> readings = AlertingOperator.ofReadings(this.catalog, SensorTags.none(),
				delivery(), this.attempts, this.inbox, new AlertingMetrics(new SimpleMeterRegistry(), "readings"),
				this.clock);
		Captured out = new Captured();
		readings.process(reading("s1", T0, 79), out);
		assertThat(out.emitted).isEmpty();
		readings.process(reading("s1", T0.plusSeconds(1), 85), out);

		assertThat(out.emitted).singleElement().satisfies((record) -> {
			AlertEvent alert = read(record.payload());
			assertThat(alert.ruleId()).isEqualTo("hot-now");
			assertThat(alert.value()).isEqualTo(85.0);
			assertThat(alert.startsAt()).isEqualTo(T0.plusSeconds(1));
		});
		assertThat(this.attempts.submitted).extracting(Submitted::subscriptionId).containsExactly("all", "chat");
	}

	@Test
	void anAbsenceRuleFiresOnTheTimerWhenASensorFallsSilent() {
		this.catalog
			.replace(List.of(rule("{'id': 'quiet', 'kind': 'absence', 'after': 'PT1M', 'severity': 'critical'}")));
		AlertingOperator<TelemetryEvent> readings = AlertingOperator.ofReadings(this.catalog, SensorTags.none(),
				delivery(), this.attempts, this.inbox, new AlertingMetrics(new SimpleMeterRegistry(), "readings"),
				this.clock);
		Captured out = new Captured();
		readings.process(reading("s1", T0, 20), out);
		this.clock.advance(Duration.ofSeconds(30));
		readings.onTimer(this.clock.millis(), (partition) -> out);
		assertThat(out.emitted).isEmpty();
		this.clock.advance(Duration.ofSeconds(31));
		readings.onTimer(this.clock.millis(), (partition) -> out);

		assertThat(out.emitted).singleElement().satisfies((record) -> {
			AlertEvent alert = read(record.payload());
			assertThat(alert.ruleId()).isEqualTo("quiet");
			assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
			assertThat(alert.sensorId()).isEqualTo("s1");
		});
		assertThat(readings.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsExactly("all", "chat");
	}

	@Test
	void aSilenceSuppressesTheNotificationButNotTheAlert() {
		this.catalog.silence(new Silence("maintenance", List.of(new SilenceMatcher("sensorId", "s1", false, true)),
				this.clock.instant().minusSeconds(60), this.clock.instant().plusSeconds(3600), "ops", "boiler swap"));
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.operator.process(record(aggregate("s2", 0, 91), 1), out);

		assertThat(out.emitted).hasSize(2);
		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::sensorId).containsOnly("s2");
	}

	@Test
	void aRuleThatDoesNotNotifyResolvedStillPublishesIt() {
		this.catalog.replace(List.of(rule("{'id': 'hot', 'kind': 'threshold', 'metric': 'temperature',"
				+ " 'statistic': 'max', 'operator': '>', 'threshold': 80, 'notifyResolved': false}")));
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.operator.process(record(aggregate("s1", 1, 60), 1), out);

		assertThat(out.emitted).extracting((record) -> read(record.payload()).status())
			.containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsExactly("all");
	}

	@Test
	void aRuleChangedInTheCatalogIsEvaluatedFromTheNextRecord() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 70), 0), out);
		assertThat(out.emitted).isEmpty();
		this.catalog.replace(List.of(rule("{'id': 'warm', 'kind': 'threshold', 'metric': 'temperature',"
				+ " 'statistic': 'max', 'operator': '>', 'threshold': 65}")));
		this.operator.process(record(aggregate("s1", 1, 70), 1), out);

		assertThat(out.emitted).singleElement()
			.satisfies((record) -> assertThat(read(record.payload()).ruleId()).isEqualTo("warm"));
	}

	@Test
	void theDeliveryLogSaysWhatTheOutboxDid() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		List<DeliveryRecord> log = out.deliveryLog();
		assertThat(log).extracting(DeliveryRecord::subscriptionId, DeliveryRecord::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("all", DeliveryRecord.Status.PENDING),
					org.assertj.core.groups.Tuple.tuple("chat", DeliveryRecord.Status.PENDING),
					org.assertj.core.groups.Tuple.tuple("all", DeliveryRecord.Status.RETRYING),
					org.assertj.core.groups.Tuple.tuple("chat", DeliveryRecord.Status.DELIVERED));
		DeliveryRecord pending = log.get(0);
		assertThat(pending.ruleId()).isEqualTo("hot");
		assertThat(pending.alertStatus()).isEqualTo("firing");
		assertThat(java.util.Base64.getDecoder().decode(pending.body()))
			.isEqualTo(this.operator.outboxOf(P).get(0).payload());
		DeliveryRecord retrying = log.get(2);
		assertThat(retrying.attempts()).isEqualTo(1);
		assertThat(retrying.latencyMillis()).isEqualTo(7);
		assertThat(retrying.nextAttemptAt()).isEqualTo(this.clock.instant().plusSeconds(5));
	}

	@Test
	void aRedeliveryRequestPutsTheNotificationBackOnceWithItsId() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.attempts.completeLast("chat", AttemptOutcome.REJECTED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsExactly("all");
		DeliveryRecord pending = out.deliveryLog()
			.stream()
			.filter((record) -> record.subscriptionId().equals("chat"))
			.findFirst()
			.orElseThrow();
		DeliveryRecord request = new DeliveryRecord(DeliveryRecord.Status.REDELIVERY_REQUESTED,
				pending.notificationId(), "chat", this.clock.instant(), 1, 0, null, null, null, null, null, null, "s1",
				null, "aggregates", P, pending.body(), "rd_1");
		this.inbox.offer(request);
		this.inbox.offer(request);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);

		assertThat(this.operator.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsExactly("all", "chat");
		Submitted again = this.attempts.submitted.get(this.attempts.submitted.size() - 1);
		assertThat(again.subscriptionId()).isEqualTo("chat");
		assertThat(again.request().notificationId()).isEqualTo(pending.notificationId());

		// Handled requests are state: after a restore, the same request does nothing.
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		AlertingOperator<WindowAggregate> restored = operator();
		restored.restore(P, this.operator.snapshot(P));
		this.inbox.offer(request);
		restored.onTimer(this.clock.millis(), (partition) -> out);
		assertThat(restored.outboxOf(P)).extracting(OutboxEntry::subscriptionId).containsExactly("all");
	}

	@Test
	void changesOnTopOfASnapshotRestoreExactlyTheSameState() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		this.operator.process(record(aggregate("s2", 0, 92), 1), out);
		byte[] full = this.operator.snapshot(P);
		// Between checkpoints: a retry (replaced in place), a delivery (removed), a new
		// alert made and delivered (never in a segment), a resolve, a redelivery (an
		// entry removed and made again: at the end).
		this.attempts.completeLast("all", AttemptOutcome.RETRY);
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.operator.process(record(aggregate("s3", 0, 93), 2), out);
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		byte[] first = this.operator.snapshotChanges(P);
		this.operator.process(record(aggregate("s1", 1, 50), 3), out);
		this.clock.advance(Duration.ofSeconds(6));
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		this.attempts.completeLast("all", AttemptOutcome.DELIVERED);
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		DeliveryRecord delivered = out.deliveryLog()
			.stream()
			.filter((record) -> record.subscriptionId().equals("chat") && record.body() != null)
			.findFirst()
			.orElseThrow();
		this.inbox.offer(new DeliveryRecord(DeliveryRecord.Status.REDELIVERY_REQUESTED, delivered.notificationId(),
				"chat", this.clock.instant(), 1, 0, null, null, null, null, null, null, delivered.sensorId(), null,
				"aggregates", P, delivered.body(), "rd_1"));
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		byte[] second = this.operator.snapshotChanges(P);
		byte[] nothing = this.operator.snapshotChanges(P);

		AlertingOperator<WindowAggregate> restored = operator();
		restored.restore(P, full, List.of(first, second, nothing));
		assertThat(restored.outboxOf(P)).usingRecursiveFieldByFieldElementComparator()
			.containsExactlyElementsOf(this.operator.outboxOf(P));
		assertThat(restored.lifecycle().active()).isEqualTo(this.operator.lifecycle().active());
		assertThat(restored.snapshot(P)).isEqualTo(this.operator.snapshot(P));
		// The restored operator's next changes follow on from the last it restored.
		restored.process(record(aggregate("s4", 0, 94), 4), new Captured());
		AlertingOperator<WindowAggregate> again = operator();
		byte[] base = restored.snapshot(P);
		restored.process(record(aggregate("s5", 0, 95), 5), new Captured());
		again.restore(P, base, List.of(restored.snapshotChanges(P)));
		assertThat(again.snapshot(P)).isEqualTo(restored.snapshot(P));
	}

	@Test
	void changesHoldWhatWaitsNotWhatWasDeliveredInBetween() {
		Captured out = new Captured();
		this.operator.process(record(aggregate("s0", 0, 91), 0), out);
		this.attempts.completeLast("all", AttemptOutcome.DELIVERED);
		this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
		this.operator.onTimer(this.clock.millis(), (partition) -> out);
		byte[] full = this.operator.snapshot(P);
		for (int i = 1; i <= 50; i++) {
			this.operator.process(record(aggregate("s" + i, 0, 91), i), out);
			this.attempts.completeLast("all", AttemptOutcome.DELIVERED);
			this.attempts.completeLast("chat", AttemptOutcome.DELIVERED);
			this.operator.onTimer(this.clock.millis(), (partition) -> out);
		}
		assertThat(this.operator.outboxOf(P)).isEmpty();
		byte[] changes = this.operator.snapshotChanges(P);
		// The engine's 50 new firing series are there; no notification (by its id) is.
		assertThat(new String(changes, StandardCharsets.ISO_8859_1)).as("no entry of a delivered notification")
			.contains("\"s50\"")
			.doesNotContain("msg_");

		AlertingOperator<WindowAggregate> restored = operator();
		restored.restore(P, full, List.of(changes));
		assertThat(restored.snapshot(P)).isEqualTo(this.operator.snapshot(P));
	}

	@Test
	void changesThatDoNotFollowTheSnapshotBeforeThemAreRefused() {
		Captured out = new Captured();
		assertThat(this.operator.snapshotChanges(P)).as("nothing to follow yet: a full snapshot").isNull();
		this.operator.process(record(aggregate("s1", 0, 91), 0), out);
		byte[] full = this.operator.snapshot(P);
		this.operator.process(record(aggregate("s2", 0, 91), 1), out);
		byte[] first = this.operator.snapshotChanges(P);
		this.operator.process(record(aggregate("s3", 0, 91), 2), out);
		byte[] second = this.operator.snapshotChanges(P);

		assertThatIllegalStateException().isThrownBy(() -> operator().restore(P, full, List.of(second)))
			.withMessageContaining("do not follow");
		assertThatIllegalStateException().isThrownBy(() -> operator().restore(P, full, List.of(first, first)))
			.withMessageContaining("do not follow");
		AlertingOperator<WindowAggregate> restored = operator();
		restored.restore(P, full, List.of(first, second));
		assertThat(restored.snapshot(P)).isEqualTo(this.operator.snapshot(P));
	}

	AlertingOperator<WindowAggregate> operator() {
		return AlertingOperator.ofAggregates(this.catalog, SensorTags.none(), delivery(), this.attempts, this.inbox,
				new AlertingMetrics(new SimpleMeterRegistry(), "aggregates"), this.clock);
	}

	static AlertingOperator.Delivery delivery() {
		return new AlertingOperator.Delivery(
				new PayloadWriter(URI.create("http://localhost:8084"), URI.create("/millrace")),
				new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), 0), Duration.ofHours(2),
				"telemetry-aggregates");
	}

	static Subscription subscription(String id, PayloadFormat format, SubscriptionFilters filters) {
		return Subscription.of(id, URI.create("https://hooks.example.com/" + id), format, WebhookSecret.generate(),
				Map.of(), filters);
	}

	static Rule rule(String json) {
		try {
			return MillraceJson.mapper().readValue(json.replace('\'', '"'), Rule.class);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	InputRecord<TelemetryEvent> reading(String sensor, Instant at, double value) {
		TelemetryEvent event = new TelemetryEvent(null, sensor, at, null, Map.of("temperature", value), null, null,
				this.clock.instant());
		return new InputRecord<>(P, at.toEpochMilli(), MillraceJson.bytes(event), event);
	}

	static InputRecord<WindowAggregate> record(WindowAggregate aggregate, long offset) {
		return new InputRecord<>(P, offset, MillraceJson.bytes(aggregate), aggregate);
	}

	static WindowAggregate aggregate(String sensor, int minute, double max) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, "temperature", window, 2, max + 60, 60, max, (max + 60) / 2, 1.0, null, null,
				null, 60.0, max, true, 0, WindowAggregate.ON_TIME, T0);
	}

	static AlertEvent read(byte[] json) {
		try {
			return MillraceJson.mapper().readValue(json, AlertEvent.class);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	record Submitted(String partition, String entryKey, String subscriptionId, WebhookRequest request) {
	}

	static final class RecordingAttempts implements AlertingOperator.Attempts {

		final List<Submitted> submitted = new ArrayList<>();

		final List<DeliveryWorker.Result> results = new ArrayList<>();

		@Override
		public void submit(String partition, String entryKey, String subscriptionId, WebhookRequest request) {
			this.submitted.add(new Submitted(partition, entryKey, subscriptionId, request));
		}

		@Override
		public List<DeliveryWorker.Result> drain() {
			List<DeliveryWorker.Result> drained = List.copyOf(this.results);
			this.results.clear();
			return drained;
		}

		void complete(int index, AttemptOutcome outcome) {
			Submitted attempt = this.submitted.get(index);
			this.results.add(new DeliveryWorker.Result(attempt.partition(), attempt.entryKey(),
					attempt.subscriptionId(), new AttemptResult(outcome, 0, null, outcome.name()), 7));
		}

		void completeLast(String subscriptionId, AttemptOutcome outcome) {
			for (int i = this.submitted.size() - 1; i >= 0; i--) {
				if (this.submitted.get(i).subscriptionId().equals(subscriptionId)) {
					complete(i, outcome);
					return;
				}
			}
			throw new IllegalStateException("No attempt for " + subscriptionId);
		}

	}

	/** A catalog the test changes, as the API would. */
	static final class TestCatalog implements AlertingCatalog {

		final Map<String, String> disabled = new HashMap<>();

		private Snapshot snapshot;

		TestCatalog(List<Rule> rules, List<Subscription> subscriptions) {
			this.snapshot = new Snapshot(1, rules, subscriptions, List.of());
		}

		void replace(List<Rule> rules) {
			this.snapshot = new Snapshot(this.snapshot.version() + 1, rules, this.snapshot.subscriptions(),
					this.snapshot.silences());
		}

		void silence(Silence silence) {
			this.snapshot = new Snapshot(this.snapshot.version() + 1, this.snapshot.rules(),
					this.snapshot.subscriptions(), List.of(silence));
		}

		@Override
		public Snapshot current() {
			return this.snapshot;
		}

		@Override
		public void disableSubscription(String id, String reason, Instant at) {
			this.disabled.put(id, reason);
			this.snapshot = new Snapshot(this.snapshot.version() + 1, this.snapshot.rules(),
					this.snapshot.subscriptions()
						.stream()
						.map((s) -> s.id().equals(id) ? s.disabled(at, reason) : s)
						.toList(),
					this.snapshot.silences());
		}

	}

	static final class Captured implements Outputs {

		final List<OutputRecord> emitted = new ArrayList<>();

		/**
		 * The delivery log's records, apart: most tests look at alerts and dead letters.
		 */
		final List<OutputRecord> deliveries = new ArrayList<>();

		int stateChanges;

		@Override
		public void emit(OutputRecord record) {
			if (record.output().equals(AlertOutputs.DELIVERIES)) {
				this.deliveries.add(record);
			}
			else {
				this.emitted.add(record);
			}
		}

		List<DeliveryRecord> deliveryLog() {
			return this.deliveries.stream().map((record) -> {
				try {
					return MillraceJson.mapper().readValue(record.payload(), DeliveryRecord.class);
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).toList();
		}

		@Override
		public void deadLetter(String reason, String detail) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void stateChanged() {
			this.stateChanges++;
		}

	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
