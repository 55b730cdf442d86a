package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import static io.millrace.alerting.lifecycle.Inputs.T0;
import static io.millrace.alerting.lifecycle.Inputs.reading;
import static io.millrace.alerting.lifecycle.Inputs.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A restored engine continues exactly like one that never stopped. */
class SnapshotTests {

	private static final String P0 = "p-0";

	private static final String P1 = "p-1";

	private static final List<String> RULES = List.of(
			AlertLifecycleTests.hot(",'for':'PT2M','resolveThreshold':70,'keepFiringFor':'PT1M',"
					+ "'noData':{'after':'PT5M','state':'ok'}"),
			"{'id':'jump','kind':'rate-of-change','metric':'temperature','statistic':'avg',"
					+ "'window':{'kind':'tumbling'},'operator':'>','threshold':10}",
			"{'id':'odd','kind':'anomaly','metric':'temperature','statistic':'avg','window':{'kind':'tumbling'},"
					+ "'lookback':4,'k':2}",
			"{'id':'boil','kind':'instant','metric':'value','operator':'>','threshold':100,'for':'PT30S'}",
			"{'id':'quiet','kind':'absence','after':'PT90S'}");

	/** Two partitions, every kind of input, ticks every minute. */
	private static List<Function<AlertLifecycle, List<AlertEvent>>> script() {
		double[] temperatures = { 60, 85, 86, 90, 75, 79, 65, 85, 85, 40, 41, 95, 96, 97, 20 };
		List<Function<AlertLifecycle, List<AlertEvent>>> steps = new ArrayList<>();
		for (int i = 0; i < temperatures.length; i++) {
			int minute = i;
			double t = temperatures[i];
			String partition = (i % 2 == 0) ? P0 : P1;
			steps.add((engine) -> engine.onAggregate(P0, window("s1", "temperature", minute, t)));
			steps.add((engine) -> engine.onAggregate(P1, window("s2", "temperature", minute, 100 - t)));
			if (minute % 4 != 3) {
				steps.add((engine) -> engine.onEvent(partition,
						reading((minute % 2 == 0) ? "s1" : "s2", T0.plusSeconds(60L * minute), t + 30, null)));
			}
			Instant tick = T0.plus(Duration.ofMinutes(minute + 1)).plusSeconds(10);
			steps.add((engine) -> {
				List<AlertEvent> out = new ArrayList<>(engine.advance(P0, tick));
				out.addAll(engine.advance(P1, tick));
				return out;
			});
		}
		return steps;
	}

	private static AlertLifecycle newEngine() {
		return AlertLifecycleTests.engine(RULES.toArray(String[]::new));
	}

	@Test
	void theScriptExercisesEveryKind() {
		List<AlertEvent> all = run(newEngine(), script());
		assertThat(all).extracting(AlertEvent::ruleId).contains("hot", "jump", "odd", "boil", "quiet");
		assertThat(all).extracting(AlertEvent::status).contains(AlertStatus.FIRING, AlertStatus.RESOLVED);
	}

	@Test
	void aRestoredEngineContinuesExactlyLikeAnUninterruptedOne() {
		List<Function<AlertLifecycle, List<AlertEvent>>> steps = script();
		for (int cut = 0; cut <= steps.size(); cut += 7) {
			AlertLifecycle uninterrupted = newEngine();
			run(uninterrupted, steps.subList(0, cut));
			AlertLifecycle crashed = newEngine();
			run(crashed, steps.subList(0, cut));
			AlertLifecycle restored = newEngine();
			restored.restore(P0, crashed.snapshot(P0));
			restored.restore(P1, crashed.snapshot(P1));

			List<AlertEvent> expected = run(uninterrupted, steps.subList(cut, steps.size()));
			assertThat(run(restored, steps.subList(cut, steps.size()))).as("after a cut at step %d", cut)
				.isEqualTo(expected);
			assertThat(restored.snapshot(P0)).isEqualTo(uninterrupted.snapshot(P0));
			assertThat(restored.snapshot(P1)).isEqualTo(uninterrupted.snapshot(P1));
			assertThat(restored.active()).isEqualTo(uninterrupted.active());
		}
	}

	@Test
	void aSnapshotAndTheChangesAfterItRestoreExactlyTheSameState() {
		List<Function<AlertLifecycle, List<AlertEvent>>> steps = script();
		for (int every = 1; every <= 9; every += 4) {
			AlertLifecycle original = newEngine();
			byte[] base0 = original.snapshot(P0);
			byte[] base1 = original.snapshot(P1);
			List<byte[]> changes0 = new ArrayList<>();
			List<byte[]> changes1 = new ArrayList<>();
			for (int i = 0; i < steps.size(); i++) {
				steps.get(i).apply(original);
				if (i % every == 0) {
					changes0.add(original.snapshotChanges(P0));
					changes1.add(original.snapshotChanges(P1));
				}
				if (i == steps.size() / 2) {
					// A full snapshot starts the chain again.
					base0 = original.snapshot(P0);
					changes0.clear();
				}
			}
			changes0.add(original.snapshotChanges(P0));
			changes1.add(original.snapshotChanges(P1));
			AlertLifecycle restored = newEngine();
			restored.restore(P0, base0, changes0);
			restored.restore(P1, base1, changes1);
			assertThat(restored.snapshot(P0)).as("every %d steps", every).isEqualTo(original.snapshot(P0));
			assertThat(restored.snapshot(P1)).as("every %d steps", every).isEqualTo(original.snapshot(P1));
			assertThat(restored.active()).isEqualTo(original.active());
		}
	}

	@Test
	void changesHoldTheSeriesTouchedNotTheWholeState() {
		AlertLifecycle engine = AlertLifecycleTests
			.engine("{'id':'boil','kind':'instant','metric':'value','operator':'>','threshold':100}");
		for (int s = 0; s < 1000; s++) {
			engine.onEvent(P0, reading("s" + s, T0, 20, null));
		}
		byte[] full = engine.snapshot(P0);
		assertThat(engine.snapshotChanges(P0).length).as("nothing touched").isLessThan(16);
		for (int s = 0; s < 10; s++) {
			engine.onEvent(P0, reading("s" + s, T0.plusSeconds(1), 30, null));
		}
		byte[] changes = engine.snapshotChanges(P0);
		assertThat(changes.length).isLessThan(full.length / 50);
		for (int s = 0; s < 10; s++) {
			engine.onEvent(P0, reading("s" + s, T0.plusSeconds(2), 120, null));
		}
		changes = engine.snapshotChanges(P0);
		byte[] firing = engine.snapshot(P0);
		assertThat(changes.length).as("ten firing series").isLessThan(firing.length / 5);
		full = firing;
		for (int s = 0; s < 20; s++) {
			engine.onEvent(P0, reading("s" + s, T0.plusSeconds(3), 120, null));
		}
		changes = engine.snapshotChanges(P0);
		AlertLifecycle restored = AlertLifecycleTests
			.engine("{'id':'boil','kind':'instant','metric':'value','operator':'>','threshold':100}");
		restored.restore(P0, full, List.of(changes));
		assertThat(restored.snapshot(P0)).isEqualTo(engine.snapshot(P0));
		assertThat(restored.active()).hasSize(20);
	}

	@Test
	void theSameInputGivesTheSameEventsAndAlertIds() {
		List<AlertEvent> first = run(newEngine(), script());
		List<AlertEvent> second = run(newEngine(), script());
		assertThat(second).isEqualTo(first);
		assertThat(first).extracting(AlertEvent::alertId).doesNotHaveDuplicates();
		AlertEvent any = first.get(0);
		assertThat(any.alertId()).isEqualTo(Fingerprints.alertId(any.fingerprint(), any.startsAt(), any.status()))
			.hasSize(32);
	}

	@Test
	void partitionsAreIndependentAndReleasable() {
		AlertLifecycle engine = newEngine();
		run(engine, script().subList(0, 20));
		byte[] p1 = engine.snapshot(P1);
		engine.release(P0);
		assertThat(engine.snapshot(P0)).isEqualTo(newEngine().snapshot(P0));
		assertThat(engine.snapshot(P1)).isEqualTo(p1);
		assertThat(engine.active()).allSatisfy((active) -> assertThat(active.partition()).isEqualTo(P1));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.restore(P0, new byte[] { 1, 2, 3, 4 }));
	}

	@Test
	void aRemovedOrChangedRuleResolvesWhatItFired() {
		AlertLifecycle engine = AlertLifecycleTests.engine(AlertLifecycleTests.hot(""));
		AlertEvent firing = engine.onAggregate(P0, window("s1", "temperature", 0, 90)).get(0);
		engine.replaceRules(List.of(Inputs.rule(AlertLifecycleTests.hot("").replace("80", "95"))));
		List<AlertEvent> retired = engine.advance(P0, T0.plusSeconds(600));
		assertThat(retired).singleElement().satisfies((event) -> {
			assertThat(event.status()).isEqualTo(AlertStatus.RESOLVED);
			assertThat(event.alertId())
				.isEqualTo(Fingerprints.alertId(firing.fingerprint(), firing.startsAt(), AlertStatus.RESOLVED));
			assertThat(event.endsAt()).isEqualTo(T0.plusSeconds(600));
		});
		assertThat(engine.onAggregate(P0, window("s1", "temperature", 1, 90))).as("below the new threshold").isEmpty();
		engine.replaceRules(List.of());
		assertThat(engine.advance(P0, T0.plusSeconds(700))).isEmpty();
		assertThat(engine.snapshot(P0)).isEqualTo(newEngine().snapshot("nothing"));
	}

	private static List<AlertEvent> run(AlertLifecycle engine, List<Function<AlertLifecycle, List<AlertEvent>>> steps) {
		List<AlertEvent> out = new ArrayList<>();
		steps.forEach((step) -> out.addAll(step.apply(engine)));
		return out;
	}

}
