package io.millrace.alerting.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.millrace.alerting.rules.AlertRule;
import io.millrace.alerting.rules.ComparisonOperator;
import io.millrace.alerting.rules.Statistic;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleEvaluatorTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private final RuleEvaluator evaluator = new RuleEvaluator(
			new AlertRule("hot", "temperature", Statistic.MAX, ComparisonOperator.GT, 80, "critical"));

	@Test
	void firesOnceOnTheFirstBreachAndResolvesOnTheFirstWindowBack() {
		assertThat(evaluate("s1", 0, 70)).isEmpty();
		AlertEvent firing = evaluate("s1", 1, 91).orElseThrow();
		assertThat(firing.status()).isEqualTo(AlertStatus.FIRING);
		assertThat(firing.ruleId()).isEqualTo("hot");
		assertThat(firing.severity()).isEqualTo("critical");
		assertThat(firing.value()).isEqualTo(91.0);
		assertThat(firing.threshold()).isEqualTo(80.0);
		assertThat(firing.startsAt()).isEqualTo(T0.plusSeconds(120));
		assertThat(firing.endsAt()).isNull();
		assertThat(firing.labels()).containsEntry("sensorId", "s1").containsEntry("statistic", "max");
		assertThat(firing.annotations().get("summary")).contains("max(temperature) > 80.0");
		assertThat(this.evaluator.firing()).containsExactly(firing);

		assertThat(evaluate("s1", 2, 95)).as("still firing: no new event").isEmpty();
		AlertEvent resolved = evaluate("s1", 3, 60).orElseThrow();
		assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint());
		assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
		assertThat(resolved.endsAt()).isEqualTo(T0.plusSeconds(240));
		assertThat(this.evaluator.firing()).isEmpty();
	}

	@Test
	void theFingerprintIsStablePerRuleSensorAndMetric() {
		String s1 = evaluate("s1", 0, 90).orElseThrow().fingerprint();
		String s2 = evaluate("s2", 0, 90).orElseThrow().fingerprint();
		assertThat(s1).hasSize(32).isNotEqualTo(s2).isEqualTo(this.evaluator.fingerprint("s1", "temperature"));
	}

	@Test
	void ignoresOtherMetricsEarlyResultsAndWindowsAlreadyEvaluated() {
		assertThat(this.evaluator.evaluate(aggregate("s1", "pressure", 0, 500, true))).isEmpty();
		assertThat(this.evaluator.evaluate(aggregate("s1", "temperature", 0, 500, false))).isEmpty();
		assertThat(evaluate("s1", 5, 60)).isEmpty();
		assertThat(evaluate("s1", 4, 99)).as("an older window, replayed").isEmpty();
	}

	@Test
	void alertIdsAreTheSameForTheSameDecision() {
		AlertEvent firing = evaluate("s1", 0, 90).orElseThrow();
		RuleEvaluator replay = new RuleEvaluator(
				new AlertRule("hot", "temperature", Statistic.MAX, ComparisonOperator.GT, 80, "critical"));
		assertThat(replay.evaluate(aggregate("s1", "temperature", 0, 90, true))).contains(firing);
		AlertEvent resolved = evaluate("s1", 1, 60).orElseThrow();
		assertThat(resolved.alertId()).isNotEqualTo(firing.alertId());
	}

	@Test
	void stateIsKeptPerPartitionAndSurvivesSnapshotAndRestore() {
		AlertEvent firing = this.evaluator.evaluate("p0", aggregate("s1", "temperature", 0, 90, true)).orElseThrow();
		this.evaluator.evaluate("p1", aggregate("s2", "temperature", 0, 90, true)).orElseThrow();
		byte[] p0 = this.evaluator.snapshot("p0");

		RuleEvaluator restored = new RuleEvaluator(
				new AlertRule("hot", "temperature", Statistic.MAX, ComparisonOperator.GT, 80, "critical"));
		restored.restore("p0", p0);
		assertThat(restored.firing()).containsExactly(firing);
		assertThat(restored.snapshot("p0")).isEqualTo(p0);
		assertThat(restored.evaluate("p0", aggregate("s1", "temperature", 0, 99, true))).as("already evaluated")
			.isEmpty();
		assertThat(restored.evaluate("p0", aggregate("s1", "temperature", 1, 60, true))).get()
			.extracting(AlertEvent::status)
			.isEqualTo(AlertStatus.RESOLVED);

		this.evaluator.release("p1");
		assertThat(this.evaluator.firing()).containsExactly(firing);
	}

	@Test
	void operatorsReadAsSymbolsOrNames() {
		assertThat(ComparisonOperator.parse(">=")).isEqualTo(ComparisonOperator.GE);
		assertThat(ComparisonOperator.parse("lt")).isEqualTo(ComparisonOperator.LT);
		assertThat(ComparisonOperator.LE.holds(1, 1)).isTrue();
		assertThat(ComparisonOperator.GT.holds(1, 1)).isFalse();
	}

	private Optional<AlertEvent> evaluate(String sensor, int minute, double max) {
		return this.evaluator.evaluate(aggregate(sensor, "temperature", minute, max, true));
	}

	private static WindowAggregate aggregate(String sensor, String metric, int minute, double max, boolean isFinal) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, metric, window, 1, max, max, max, max, 0.0, null, null, null, max, max,
				isFinal, 0, WindowAggregate.ON_TIME, T0);
	}

}
