package io.millrace.e2e;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.model.json.MillraceJson;
import org.yaml.snakeyaml.Yaml;

/**
 * Every PromQL query the operators' tooling runs against Millrace: the Grafana
 * dashboard's panel targets and template variables, and the Prometheus alerting rules.
 */
final class MonitoringQueries {

	/** {@code label_values(<selector>, <label>)} of a Grafana query variable. */
	private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$",
			Pattern.DOTALL);

	/** A row of the metrics table: | `name` | type | labels | meaning |. */
	private static final Pattern DOCUMENTED_METRIC = Pattern
		.compile("^\\| `(millrace_[a-z_]+)` \\| (\\w+) \\|\\s*(.*?)\\s*\\| .*\\|\\s*$");

	/** A labels cell that lists the values: `reason` = `a`, `b`. */
	private static final Pattern DOCUMENTED_VALUES = Pattern.compile("^`(\\w+)` = (.*)$");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private MonitoringQueries() {
	}

	/**
	 * A query and where it is used.
	 *
	 * @param where for example {@code dashboard panel "Ingest rate"} or
	 * {@code rule MillraceDeadLetters}
	 * @param expression the PromQL
	 * @param label a label the query reads from the result (a {@code label_values}
	 * variable), or null
	 */
	record Query(String where, String expression, String label) {
	}

	/**
	 * @param dashboard a Grafana dashboard JSON file
	 * @return the queries of its panels (nested in rows too) and of its query variables
	 */
	static List<Query> dashboard(Path dashboard) {
		JsonNode root;
		try {
			root = MillraceJson.mapper().readTree(dashboard.toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Query> queries = new ArrayList<>();
		String file = dashboard.getFileName().toString();
		panels(root.path("panels"), file, queries);
		for (JsonNode variable : root.path("templating").path("list")) {
			if (!variable.path("type").asText().equals("query")) {
				continue;
			}
			JsonNode query = variable.path("query");
			String text = query.isObject() ? query.path("query").asText() : query.asText();
			String where = file + " variable $" + variable.path("name").asText();
			Matcher labelValues = LABEL_VALUES.matcher(text);
			if (labelValues.matches()) {
				queries.add(new Query(where, labelValues.group(1), labelValues.group(2)));
			}
			else if (!text.isBlank()) {
				queries.add(new Query(where, text, null));
			}
		}
		return queries;
	}

	private static void panels(JsonNode panels, String file, List<Query> queries) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				String expression = target.path("expr").asText();
				if (!expression.isBlank()) {
					queries.add(new Query(file + " panel \"" + panel.path("title").asText() + "\"", expression, null));
				}
			}
			panels(panel.path("panels"), file, queries);
		}
	}

	/**
	 * @param operations docs/operations.md
	 * @return each metric of its "Metrics" table as a selector of the documented label
	 * values ({@code millrace_processing_deadletter_total{reason=~"undecodable|..."}});
	 * histograms, timers and summaries by their {@code _count}
	 */
	static List<Query> documented(Path operations) {
		List<Query> queries = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(operations)) {
				Matcher row = DOCUMENTED_METRIC.matcher(line);
				if (!row.matches()) {
					continue;
				}
				String type = row.group(2);
				String name = row.group(1) + (Set.of("histogram", "timer", "summary").contains(type) ? "_count" : "");
				Matcher label = DOCUMENTED_VALUES.matcher(row.group(3));
				if (label.matches()) {
					List<String> values = new ArrayList<>();
					Matcher value = CODE.matcher(label.group(2));
					while (value.find()) {
						values.add(value.group(1));
					}
					name += "{" + label.group(1) + "=~\"" + String.join("|", values) + "\"}";
				}
				queries.add(new Query(operations.getFileName() + " metrics table", name, null));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return queries;
	}

	/**
	 * @param file a Prometheus rule file
	 * @return the expression of every alerting and recording rule
	 */
	@SuppressWarnings("unchecked")
	static List<Query> rules(Path file) {
		List<Query> queries = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file)) {
			Map<String, Object> content = new Yaml().load(reader);
			for (Map<String, Object> group : (List<Map<String, Object>>) content.get("groups")) {
				for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
					Object name = (rule.get("alert") != null) ? rule.get("alert") : rule.get("record");
					queries.add(new Query(file.getFileName() + " rule " + name, (String) rule.get("expr"), null));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return queries;
	}

}
