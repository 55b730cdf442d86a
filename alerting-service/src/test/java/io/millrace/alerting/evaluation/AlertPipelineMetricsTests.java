package io.millrace.alerting.evaluation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.alerting.rules.AlertRule;
import io.millrace.alerting.rules.ComparisonOperator;
import io.millrace.alerting.rules.Statistic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters operators alert on exist at 0 before anything happened, so that
 * {@code increase()} sees the first alert and the first dead letter.
 */
class AlertPipelineMetricsTests {

	@Test
	void alertAndDeadLetterCountersStartAtZero() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new AlertPipeline(
				new RuleEvaluator(
						new AlertRule("hot", "temperature", Statistic.MAX, ComparisonOperator.GT, 80, "critical")),
				null, null, null, "telemetry-aggregates", registry);

		for (String status : new String[] { "firing", "resolved" }) {
			assertThat(registry.get("millrace.alerting.alerts")
				.tag("status", status)
				.tag("severity", "critical")
				.counter()
				.count()).isZero();
		}
		for (String reason : new String[] { "undecodable", "schema-invalid" }) {
			assertThat(registry.get("millrace.alerting.deadlettered").tag("reason", reason).counter().count()).isZero();
		}
		assertThat(registry.get("millrace.alerting.evaluations").counter().count()).isZero();
	}

}
