package io.millrace.e2e;

import java.util.List;

import io.millrace.e2e.PromQl.Label;
import io.millrace.e2e.PromQl.Selector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTests {

	@Test
	void functionsAggregationsLabelListsAndDurationsAreNotMetrics() {
		assertThat(metrics("histogram_quantile(0.95, sum by (le, application) "
				+ "(rate(http_server_requests_seconds_bucket{application=~\"$application\"}[$__rate_interval])))"))
			.containsExactly("http_server_requests_seconds_bucket");
		assertThat(metrics("sum(rate(a_total[5m])) without (instance) / on (application) group_left(job) "
				+ "max_over_time(b[1h:5m] offset 10m) > bool 0.1 * 1e3"))
			.containsExactly("a_total", "b");
		assertThat(metrics("count by (reason) (c) or vector(0) and topk(5, d) unless absent(e)")).containsExactly("c",
				"d", "e");
		assertThat(metrics("label_replace(f, \"dst\", \"$1\", \"src\", \"(.*)\")")).containsExactly("f");
		assertThat(metrics("rate(g[${__rate_interval}]) # comment naming h\n + i")).containsExactly("g", "i");
	}

	@Test
	void literalMatchersAreRequiredAndVariablesOrRegularExpressionsAreNot() {
		List<Selector> selectors = PromQl.selectors("rate(x_total{reason=~\"unauthorized|forbidden\", "
				+ "instance=~\"$instance\", status=~\"5..\", outcome=\"failed\", area!=\"heap\"}[5m])"
				+ " + {__name__=\"y\", le=\"+Inf\"}");
		assertThat(selectors)
			.containsExactly(
					new Selector("x_total",
							List.of(new Label("reason", "unauthorized"), new Label("reason", "forbidden"),
									new Label("outcome", "failed"))),
					new Selector("y", List.of(new Label("le", "+Inf"))));
	}

	private static List<String> metrics(String expression) {
		return PromQl.selectors(expression).stream().map(Selector::metric).toList();
	}

}
