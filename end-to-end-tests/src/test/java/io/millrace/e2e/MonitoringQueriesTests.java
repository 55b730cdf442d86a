package io.millrace.e2e;

import java.nio.file.Path;
import java.util.List;

import io.millrace.e2e.MonitoringQueries.Query;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the repository's real dashboard, rules and docs, without a platform. */
class MonitoringQueriesTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	@Test
	void theDashboardsPanelsAndVariablesAreRead() {
		List<Query> queries = MonitoringQueries
			.dashboard(REPOSITORY.resolve("helm/millrace/dashboards/millrace-overview.json"));

		assertThat(queries).anySatisfy((query) -> {
			assertThat(query.where()).isEqualTo("millrace-overview.json variable $instance");
			assertThat(query.expression()).isEqualTo("process_uptime_seconds{application=~\"$application\"}");
			assertThat(query.label()).isEqualTo("instance");
		});
		assertThat(queries).anySatisfy((query) -> {
			assertThat(query.where()).isEqualTo("millrace-overview.json panel \"Watermark lag\"");
			assertThat(PromQl.selectors(query.expression())).extracting(PromQl.Selector::metric)
				.containsExactly("millrace_processing_watermark_lag_seconds");
		});
	}

	@Test
	void everyRuleIsRead() {
		List<Query> queries = MonitoringQueries.rules(REPOSITORY.resolve("helm/millrace/alerts/millrace.rules.yml"));

		assertThat(queries).hasSizeGreaterThanOrEqualTo(10)
			.allSatisfy((query) -> assertThat(query.expression()).isNotBlank())
			.anySatisfy(
					(query) -> assertThat(query.where()).isEqualTo("millrace.rules.yml rule MillraceWebhookFailing"));
	}

	@Test
	void theDocumentedMetricsAreReadWithTheirListedLabelValues() {
		List<String> expressions = MonitoringQueries.documented(REPOSITORY.resolve("docs/operations.md"))
			.stream()
			.map(Query::expression)
			.toList();

		assertThat(expressions).contains("millrace_ingest_events_accepted_total",
				"millrace_ingest_publish_latency_seconds_count",
				"millrace_processing_deadletter_total{reason=~\"undecodable|schema-invalid|clock-skew|operator-failed\"}",
				"millrace_alerting_webhook_deliveries_total{outcome=~\"delivered|failed\"}",
				"millrace_serving_sensors");
	}

}
