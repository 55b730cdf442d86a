package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.util.List;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import static io.millrace.alerting.lifecycle.Inputs.P;
import static io.millrace.alerting.lifecycle.Inputs.briefs;
import static io.millrace.alerting.lifecycle.Inputs.feed;
import static io.millrace.alerting.lifecycle.Inputs.minute;
import static io.millrace.alerting.lifecycle.Inputs.rule;
import static io.millrace.alerting.lifecycle.Inputs.window;
import static org.assertj.core.api.Assertions.assertThat;

/** The threshold rule and the lifecycle every rule kind shares. */
class AlertLifecycleTests {

	/** A flapping series: above 80 and back, over and over. */
	private static final double[] FLAPPING = { 85, 75, 85, 86, 90, 75, 79, 85, 65, 85, 60 };

	@Test
	void aThresholdRuleFiresOnTheFirstBreachAndResolvesOnTheFirstWindowBack() {
		AlertLifecycle engine = engine("{'id':'hot','kind':'threshold','metric':'temperature','statistic':'max',"
				+ "'operator':'>','threshold':80,'severity':'critical','labels':{'team':'ops'},"
				+ "'annotations':{'summary':'{{sensorId}} at {{value}} (limit {{threshold}})'}}");
		List<AlertEvent> events = feed(engine, "s1", "temperature", 70, 91, 95, 60);
		assertThat(briefs(events)).containsExactly("firing@2", "resolved@4");
		AlertEvent firing = events.get(0);
		assertThat(firing.ruleId()).isEqualTo("hot");
		assertThat(firing.severity()).isEqualTo("critical");
		assertThat(firing.value()).isEqualTo(91.0);
		assertThat(firing.threshold()).isEqualTo(80.0);
		assertThat(firing.startsAt()).isEqualTo(minute(2));
		assertThat(firing.endsAt()).isNull();
		assertThat(firing.window().start()).isEqualTo(minute(1));
		assertThat(firing.fingerprint()).isEqualTo(Fingerprints.fingerprint("hot", "s1", "temperature")).hasSize(32);
		assertThat(firing.labels()).containsEntry("rule", "hot")
			.containsEntry("sensorId", "s1")
			.containsEntry("metric", "temperature")
			.containsEntry("severity", "critical")
			.containsEntry("kind", "threshold")
			.containsEntry("team", "ops");
		assertThat(firing.annotations()).containsEntry("summary", "s1 at 91.0 (limit 80.0)");
		AlertEvent resolved = events.get(1);
		assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
		assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
		assertThat(resolved.endsAt()).isEqualTo(minute(4));
		assertThat(resolved.value()).isEqualTo(60.0);
		assertThat(resolved.annotations()).containsEntry("summary", "s1 at 60.0 (limit 80.0)");
		assertThat(resolved.alertId()).isNotEqualTo(firing.alertId());
	}

	@Test
	void withoutForOrHysteresisAFlappingSeriesNotifiesEveryFlap() {
		AlertLifecycle engine = engine(hot(""));
		assertThat(briefs(feed(engine, "s1", "temperature", FLAPPING))).containsExactly("firing@1", "resolved@2",
				"firing@3", "resolved@6", "firing@8", "resolved@9", "firing@10", "resolved@11");
	}

	@Test
	void forAndAResolveThresholdTurnTheFlappingSeriesIntoOneAlert() {
		AlertLifecycle engine = engine(hot(",'for':'PT2M','resolveThreshold':70"));
		List<AlertEvent> events = feed(engine, "s1", "temperature", FLAPPING);
		// 85 at minute 1 is pending and dropped by 75; pending again from minute 3, it
		// has held for 2 minutes at minute 5 and fires (startsAt = minute 3). 75 and 79
		// stay above the resolve threshold; 65 resolves. 85 at minute 10 is pending,
		// and 60 ends it before 'for'.
		assertThat(briefs(events)).containsExactly("firing@5", "resolved@9");
		assertThat(events.get(0).startsAt()).isEqualTo(minute(3));
		assertThat(engine.active()).isEmpty();
	}

	@Test
	void keepFiringForHoldsAnAlertThroughShortClears() {
		AlertLifecycle engine = engine(hot(",'keepFiringFor':'PT2M'"));
		// Clear at minutes 2 and 4 (1 minute after the last breach), still firing; clear
		// at minute 5, 2 minutes after the breach of minute 3: resolved.
		assertThat(briefs(feed(engine, "s1", "temperature", 85, 70, 85, 70, 70, 70))).containsExactly("firing@1",
				"resolved@5");
	}

	@Test
	void aFlapShorterThanForProducesNothingButShowsAsPending() {
		AlertLifecycle engine = engine(hot(",'for':'PT3M'"));
		assertThat(feed(engine, "s1", "temperature", 85, 85, 85)).isEmpty();
		assertThat(engine.active()).singleElement().satisfies((active) -> {
			assertThat(active.state()).isEqualTo(AlertState.PENDING);
			assertThat(active.since()).isEqualTo(minute(1));
			assertThat(active.value()).isEqualTo(85.0);
			assertThat(active.partition()).isEqualTo(P);
		});
		assertThat(engine.onAggregate(P, window("s1", "temperature", 3, 70))).isEmpty();
		assertThat(engine.active()).isEmpty();
	}

	@Test
	void forCountsFromTheFirstBreachingWindowEnd() {
		AlertLifecycle engine = engine(hot(",'for':'PT3M'"));
		List<AlertEvent> events = feed(engine, "s1", "temperature", 85, 85, 85, 85);
		assertThat(briefs(events)).containsExactly("firing@4");
		assertThat(events.get(0).startsAt()).isEqualTo(minute(1));
		assertThat(engine.active()).singleElement().extracting(ActiveAlert::state).isEqualTo(AlertState.FIRING);
	}

	@Test
	void earlyResultsReplaysAndOutOfOrderWindowsChangeNothing() {
		AlertLifecycle engine = engine(hot(""));
		WindowAggregate last = window("s1", "temperature", 5, 70);
		assertThat(engine.onAggregate(P, last)).isEmpty();
		WindowAggregate early = window("s1", "temperature", 6, 99);
		early = new WindowAggregate(early.sensorId(), early.metric(), early.window(), 1, 99, 99, 99, 99, null, null,
				null, null, null, null, false, 0, WindowAggregate.EARLY, early.emittedAt());
		assertThat(engine.onAggregate(P, early)).as("early result").isEmpty();
		assertThat(engine.onAggregate(P, window("s1", "temperature", 3, 99))).as("older window").isEmpty();
		assertThat(engine.onAggregate(P, last)).as("the same window again").isEmpty();
		assertThat(engine.onAggregate(P, window("s1", "pressure", 6, 99))).as("another metric").isEmpty();
		assertThat(engine.onAggregate(P, window("s1", "temperature", 6, 99))).hasSize(1);
	}

	@Test
	void aWindowFilterReadsOnlyItsWindowsAndAMissingStatisticIsNotEvaluated() {
		AlertLifecycle engine = engine("{'id':'hot','kind':'threshold','metric':'temperature','statistic':'p99',"
				+ "'operator':'>','threshold':80,'window':{'kind':'tumbling','size':'PT5M'}}");
		assertThat(engine.onAggregate(P, window("s1", "temperature", 0, 99))).as("1-minute window").isEmpty();
		WindowAggregate fiveMinutes = new WindowAggregate("s1", "temperature",
				AggregateWindow.tumbling(minute(5), Duration.ofMinutes(5)), 3, 270, 80, 99, 90, null, null, null, null,
				null, null, true, 0, WindowAggregate.ON_TIME, minute(10));
		assertThat(engine.onAggregate(P, fiveMinutes)).as("no p99 computed").isEmpty();
		WindowAggregate withP99 = new WindowAggregate("s1", "temperature",
				AggregateWindow.tumbling(minute(10), Duration.ofMinutes(5)), 3, 270, 80, 99, 90, null, null, null, 98.0,
				null, null, true, 0, WindowAggregate.ON_TIME, minute(15));
		assertThat(engine.onAggregate(P, withP99)).singleElement()
			.satisfies((event) -> assertThat(event.value()).isEqualTo(98.0));
	}

	@Test
	void eachSensorHasItsOwnFingerprintAndLifecycle() {
		AlertLifecycle engine = engine(hot(""));
		AlertEvent s1 = engine.onAggregate(P, window("s1", "temperature", 0, 90)).get(0);
		AlertEvent s2 = engine.onAggregate(P, window("s2", "temperature", 0, 90)).get(0);
		assertThat(s1.fingerprint()).isNotEqualTo(s2.fingerprint());
		assertThat(engine.onAggregate(P, window("s1", "temperature", 1, 60))).hasSize(1);
		assertThat(engine.active()).singleElement().extracting(ActiveAlert::sensorId).isEqualTo("s2");
	}

	@Test
	void comparisonOperatorsIncludingEqualityWork() {
		AlertLifecycle engine = engine("{'id':'stuck','kind':'threshold','metric':'temperature','statistic':'stddev',"
				+ "'operator':'==','threshold':0}");
		assertThat(feed(engine, "s1", "temperature", 5)).as("every test window has stddev 0").hasSize(1);
		assertThat(Comparison.parse("!=").holds(1, 2)).isTrue();
		assertThat(Comparison.parse("le").holds(2, 2)).isTrue();
	}

	static String hot(String more) {
		return "{'id':'hot','kind':'threshold','metric':'temperature','statistic':'max','operator':'>','threshold':80"
				+ more + "}";
	}

	static AlertLifecycle engine(String... rules) {
		return new AlertLifecycle(java.util.Arrays.stream(rules).map(Inputs::rule).toList(), SensorTags.none());
	}

}
