package io.millrace.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of a Prometheus text-format scrape: metric name → the label sets of its
 * samples.
 */
final class PrometheusScrape {

	private final Map<String, List<Map<String, String>>> series = new HashMap<>();

	PrometheusScrape(String text) {
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.indexOf(' ');
			if (brace >= 0 && (space < 0 || brace < space)) {
				this.series.computeIfAbsent(line.substring(0, brace), (name) -> new ArrayList<>())
					.add(labels(line, brace + 1));
			}
			else if (space > 0) {
				this.series.computeIfAbsent(line.substring(0, space), (name) -> new ArrayList<>()).add(Map.of());
			}
		}
	}

	boolean has(String metric) {
		return this.series.containsKey(metric);
	}

	boolean has(String metric, String label, String value) {
		return this.series.getOrDefault(metric, List.of())
			.stream()
			.anyMatch((labels) -> value.equals(labels.get(label)));
	}

	boolean hasLabel(String metric, String label) {
		return this.series.getOrDefault(metric, List.of()).stream().anyMatch((labels) -> labels.containsKey(label));
	}

	private static Map<String, String> labels(String line, int start) {
		Map<String, String> labels = new LinkedHashMap<>();
		int i = start;
		while (i < line.length() && line.charAt(i) != '}') {
			int equals = line.indexOf('=', i);
			String name = line.substring(i, equals).trim();
			StringBuilder value = new StringBuilder();
			i = equals + 2; // past ="
			while (line.charAt(i) != '"') {
				if (line.charAt(i) == '\\') {
					i++;
					value.append((line.charAt(i) == 'n') ? '\n' : line.charAt(i));
				}
				else {
					value.append(line.charAt(i));
				}
				i++;
			}
			labels.put(name, value.toString());
			i++; // closing quote
			if (i < line.length() && line.charAt(i) == ',') {
				i++;
			}
		}
		return labels;
	}

}
