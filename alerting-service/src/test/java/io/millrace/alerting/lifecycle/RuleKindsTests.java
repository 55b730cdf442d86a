package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static io.millrace.alerting.lifecycle.AlertLifecycleTests.engine;
import static io.millrace.alerting.lifecycle.Inputs.P;
import static io.millrace.alerting.lifecycle.Inputs.T0;
import static io.millrace.alerting.lifecycle.Inputs.briefs;
import static io.millrace.alerting.lifecycle.Inputs.feed;
import static io.millrace.alerting.lifecycle.Inputs.minute;
import static io.millrace.alerting.lifecycle.Inputs.reading;
import static io.millrace.alerting.lifecycle.Inputs.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Instant, rate of change, absence, anomaly and no data. */
class RuleKindsTests {

	@Test
	void anInstantRuleFiresOnRawReadingsAfterForInEventTime() {
		AlertLifecycle engine = engine(
				"{'id':'boil','kind':'instant','metric':'value','operator':'>='," + "'threshold':100,'for':'PT10S'}");
		assertThat(engine.onEvent(P, reading("s1", T0, 105, null))).isEmpty();
		assertThat(engine.onEvent(P, reading("s1", T0.plusSeconds(5), 110, null))).isEmpty();
		List<AlertEvent> fired = engine.onEvent(P, reading("s1", T0.plusSeconds(10), 120, null));
		assertThat(fired).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.FIRING);
			assertThat(event.startsAt()).isEqualTo(T0);
			assertThat(event.value()).isEqualTo(120.0);
			assertThat(event.window()).isNull();
			assertThat(event.metric()).isEqualTo("value");
		});
		assertThat(engine.onEvent(P, reading("s1", T0.plusSeconds(4), 50, null))).as("older reading").isEmpty();
		assertThat(engine.onEvent(P, reading("s1", T0.plusSeconds(12), 90, null))).singleElement()
			.satisfies((event) -> {
				assertThat(event.status()).isEqualTo(AlertStatus.RESOLVED);
				assertThat(event.endsAt()).isEqualTo(T0.plusSeconds(12));
			});
		assertThat(engine.onAggregate(P, window("s1", "value", 0, 500))).as("instant rules read no windows").isEmpty();
	}

	@Test
	void anInstantRuleReadsNamedMeasurements() {
		AlertLifecycle engine = engine(
				"{'id':'hot','kind':'instant','metric':'temperature','operator':'>','threshold':80}");
		TelemetryEvent event = new TelemetryEvent("e1", "s1", T0, null, Map.of("temperature", 81.0, "humidity", 99.0),
				null, 1, T0);
		assertThat(engine.onEvent(P, event)).singleElement()
			.satisfies((alert) -> assertThat(alert.metric()).isEqualTo("temperature"));
	}

	@Test
	void aRateOfChangeRuleComparesConsecutiveWindows() {
		AlertLifecycle engine = engine("{'id':'jump','kind':'rate-of-change','metric':'temperature',"
				+ "'statistic':'avg','window':{'kind':'tumbling'},'operator':'>','threshold':10}");
		List<AlertEvent> events = feed(engine, "s1", "temperature", 20, 25, 40, 42);
		assertThat(briefs(events)).containsExactly("firing@3", "resolved@4");
		assertThat(events.get(0).value()).isEqualTo(15.0);
		assertThat(events.get(1).value()).isEqualTo(2.0);
	}

	@Test
	void aRateOfChangeRuleInPercentSkipsAPreviousZero() {
		AlertLifecycle engine = engine("{'id':'jump','kind':'rate-of-change','metric':'temperature',"
				+ "'statistic':'avg','window':{'kind':'tumbling'},'change':'percent','operator':'>','threshold':40}");
		List<AlertEvent> events = feed(engine, "s1", "temperature", 0, 100, 150, 160);
		// 0 -> 100 has no percentage; 100 -> 150 is +50 %; 150 -> 160 is +6.7 %.
		assertThat(briefs(events)).containsExactly("firing@3", "resolved@4");
		assertThat(events.get(0).value()).isEqualTo(50.0);
		assertThat(events.get(1).value()).isCloseTo(6.667, within(0.001));
	}

	@Test
	void anAnomalyRuleFiresOutsideMeanPlusOrMinusKStddevOfTheLastWindows() {
		AlertLifecycle engine = engine("{'id':'odd','kind':'anomaly','metric':'temperature','statistic':'avg',"
				+ "'window':{'kind':'tumbling','size':'PT1M'},'lookback':5,'k':3}");
		// Five windows to learn from (mean 10, stddev 0.632, band ±1.897); 20 is out.
		List<AlertEvent> events = feed(engine, "s1", "temperature", 10, 11, 9, 10, 10, 20, 10);
		assertThat(briefs(events)).containsExactly("firing@6", "resolved@7");
		assertThat(events.get(0).value()).isEqualTo(20.0);
		assertThat(events.get(0).threshold()).isCloseTo(10 + 3 * Math.sqrt(0.4), within(1e-9));
		// Then 11, 9, 10, 10, 20: mean 12, stddev 4.05, band ±12.1; 10 is back inside.
		assertThat(events.get(1).value()).isEqualTo(10.0);
	}

	@Test
	void anAnomalyRuleWaitsForMinWindowsAndSeesLowOutliersToo() {
		AlertLifecycle engine = engine("{'id':'odd','kind':'anomaly','metric':'temperature','statistic':'avg',"
				+ "'window':{'kind':'tumbling'},'lookback':10,'k':2,'minWindows':3}");
		List<AlertEvent> events = feed(engine, "s1", "temperature", 10, 1000, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
				-50);
		// 1000 is the second window: nothing to compare with yet. It stays in the
		// lookback for 10 windows, widening the band, then leaves it; -50 is far out.
		assertThat(briefs(events)).containsExactly("firing@13");
		assertThat(events.get(0).threshold()).isEqualTo(10.0);
	}

	@Test
	void anAbsenceRuleFiresAfterItsDurationWithoutReadingsAndResolvesOnTheNext() {
		AlertLifecycle engine = engine(
				"{'id':'quiet','kind':'absence','after':'PT1M','selector':{'sensorIds':['s1']}}");
		assertThat(engine.onEvent(P, reading("s1", T0, 1, null))).isEmpty();
		assertThat(engine.onEvent(P, reading("s2", T0, 1, null))).isEmpty();
		Instant received = T0.plusMillis(200);
		assertThat(engine.advance(P, received.plusSeconds(59))).isEmpty();
		List<AlertEvent> fired = engine.advance(P, received.plusSeconds(75));
		assertThat(fired).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.FIRING);
			assertThat(event.sensorId()).isEqualTo("s1");
			assertThat(event.metric()).isEqualTo("*");
			assertThat(event.startsAt()).as("last reading + after, not the tick").isEqualTo(received.plusSeconds(60));
			assertThat(event.labels()).containsEntry("kind", "absence");
			assertThat(event.annotations().get("summary")).isEqualTo("s1: no reading for PT1M (value 60.0)");
		});
		assertThat(engine.advance(P, received.plusSeconds(120))).as("fires once").isEmpty();
		List<AlertEvent> resolved = engine.onEvent(P, reading("s1", T0.plusSeconds(150), 2, null));
		assertThat(resolved).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.RESOLVED);
			assertThat(event.endsAt()).isEqualTo(T0.plusSeconds(150).plusMillis(200));
			assertThat(event.value()).isEqualTo(150.0);
			assertThat(event.alertId()).isNotEqualTo(fired.get(0).alertId());
		});
		assertThat(engine.advance(P, T0.plusSeconds(200))).isEmpty();
		assertThat(engine.advance(P, T0.plusSeconds(211))).hasSize(1);
	}

	@Test
	void anAbsenceRuleWithAMetricCountsOnlyReadingsOfIt() {
		AlertLifecycle engine = engine("{'id':'quiet','kind':'absence','metric':'temperature','after':'PT1M'}");
		TelemetryEvent temperature = new TelemetryEvent("e1", "s1", T0, null, Map.of("temperature", 20.0), null, 1, T0);
		TelemetryEvent humidity = new TelemetryEvent("e2", "s1", T0.plusSeconds(30), null, Map.of("humidity", 50.0),
				null, 1, T0.plusSeconds(30));
		engine.onEvent(P, temperature);
		engine.onEvent(P, humidity);
		assertThat(engine.advance(P, T0.plusSeconds(60))).singleElement()
			.satisfies((event) -> assertThat(event.metric()).isEqualTo("temperature"));
	}

	@Test
	void noDataOkResolvesAFiringAlertAfterItsDurationOfProcessingTime() {
		AlertLifecycle engine = engine(AlertLifecycleTests.hot(",'noData':{'after':'PT5M','state':'ok'}"));
		assertThat(feed(engine, "s1", "temperature", 90)).hasSize(1);
		// The window was emitted at minute 1 + 5 s.
		Instant emitted = minute(1).plusSeconds(5);
		assertThat(engine.advance(P, emitted.plus(Duration.ofMinutes(5)).minusMillis(1))).isEmpty();
		List<AlertEvent> resolved = engine.advance(P, minute(9));
		assertThat(resolved).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.RESOLVED);
			assertThat(event.endsAt()).isEqualTo(emitted.plus(Duration.ofMinutes(5)));
			assertThat(event.value()).isEqualTo(90.0);
		});
		assertThat(engine.advance(P, minute(20))).isEmpty();
		assertThat(engine.onAggregate(P, window("s1", "temperature", 20, 95))).as("data back, still hot").hasSize(1);
	}

	@Test
	void noDataAlertingFiresAndTheFirstWindowBackDecides() {
		AlertLifecycle engine = engine(AlertLifecycleTests.hot(",'noData':{'after':'PT5M','state':'alerting'}"));
		assertThat(feed(engine, "s1", "temperature", 50)).isEmpty();
		List<AlertEvent> fired = engine.advance(P, minute(10));
		assertThat(fired).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.FIRING);
			assertThat(event.annotations()).containsEntry("noData", "true");
			assertThat(event.startsAt()).isEqualTo(minute(6).plusSeconds(5));
		});
		assertThat(engine.advance(P, minute(11))).as("once per gap").isEmpty();
		assertThat(briefs(engine.onAggregate(P, window("s1", "temperature", 11, 50)))).containsExactly("resolved@12");
	}

	@Test
	void noDataKeepLeavesTheAlertAsItWas() {
		AlertLifecycle engine = engine(AlertLifecycleTests.hot(",'noData':{'after':'PT5M','state':'keep'}"));
		assertThat(feed(engine, "s1", "temperature", 90)).hasSize(1);
		assertThat(engine.advance(P, minute(60))).isEmpty();
		assertThat(engine.active()).singleElement().extracting(ActiveAlert::state).isEqualTo(AlertState.FIRING);
	}

	@Test
	void rulesSelectSensorsByIdGlobAndTag() {
		AlertLifecycle engine = new AlertLifecycle(
				List.of(Inputs.rule(AlertLifecycleTests.hot("")
					.replace("'hot'", "'by-id'")
					.replace("}", ",'selector':{'sensorIds':['pump-1','fan-2']}}")),
						Inputs.rule(AlertLifecycleTests.hot("")
							.replace("'hot'", "'by-glob'")
							.replace("}", ",'selector':{'sensorIdPattern':'pump-*'}}")),
						Inputs.rule(AlertLifecycleTests.hot("")
							.replace("'hot'", "'by-tag'")
							.replace("}", ",'selector':{'tags':{'site':'north'}}}"))),
				(sensorId) -> sensorId.endsWith("-1") ? Map.of("site", "north") : Map.of());
		assertThat(rules(engine.onAggregate(P, window("pump-1", "temperature", 0, 90)))).containsExactly("by-glob",
				"by-id", "by-tag");
		assertThat(rules(engine.onAggregate(P, window("pump-7", "temperature", 0, 90)))).containsExactly("by-glob");
		assertThat(rules(engine.onAggregate(P, window("fan-2", "temperature", 0, 90)))).containsExactly("by-id");
		assertThat(rules(engine.onAggregate(P, window("fan-1", "temperature", 0, 90)))).containsExactly("by-tag");
		assertThat(rules(engine.onAggregate(P, window("xpump-1x", "temperature", 0, 90)))).isEmpty();
	}

	@Test
	void instantRulesAlsoSelectByTheTagsOfTheReading() {
		AlertLifecycle engine = engine("{'id':'hot','kind':'instant','metric':'value','operator':'>','threshold':80,"
				+ "'selector':{'tags':{'site':'north'}}}");
		assertThat(engine.onEvent(P, reading("s1", T0, 90, Map.of("site", "south")))).isEmpty();
		assertThat(engine.onEvent(P, reading("s2", T0, 90, Map.of("site", "north")))).hasSize(1);
	}

	private static List<String> rules(List<AlertEvent> events) {
		List<String> ids = new ArrayList<>();
		events.forEach((event) -> ids.add(event.ruleId()));
		return ids;
	}

}
