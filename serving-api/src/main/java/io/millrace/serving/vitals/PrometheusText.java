package io.millrace.serving.vitals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text-format scrape (version 0.0.4, what
 * {@code /actuator/prometheus} answers). Comments, type lines and timestamps are ignored;
 * a line that cannot be read is skipped rather than failing the scrape, since the
 * dashboard needs only a few series of it.
 */
final class PrometheusText {

	private final Map<String, List<Sample>> samples = new LinkedHashMap<>();

	private PrometheusText() {
	}

	/**
	 * @param text a scrape's body
	 * @return its samples
	 */
	static PrometheusText parse(String text) {
		PrometheusText scrape = new PrometheusText();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			try {
				Sample sample = sample(line.strip());
				scrape.samples.computeIfAbsent(sample.name(), (name) -> new ArrayList<>()).add(sample);
			}
			catch (RuntimeException ex) {
				// Not a sample line: skipped.
			}
		}
		return scrape;
	}

	/**
	 * @param name a metric name
	 * @return whether the scrape holds a sample of it
	 */
	boolean has(String name) {
		return this.samples.containsKey(name);
	}

	/**
	 * @param name a metric name
	 * @param labels which of its samples count
	 * @return the sum of their values (NaN values left out), {@code null} when there is
	 * no such sample
	 */
	Double sum(String name, Predicate<Map<String, String>> labels) {
		Double sum = null;
		for (Sample sample : this.samples.getOrDefault(name, List.of())) {
			if (labels.test(sample.labels()) && !Double.isNaN(sample.value())) {
				sum = ((sum != null) ? sum : 0.0) + sample.value();
			}
		}
		return sum;
	}

	/**
	 * @param name a metric name
	 * @return the largest value of its samples (NaN values left out), {@code null} when
	 * there is no such sample or every one is NaN
	 */
	Double max(String name) {
		Double max = null;
		for (Sample sample : this.samples.getOrDefault(name, List.of())) {
			if (!Double.isNaN(sample.value()) && (max == null || sample.value() > max)) {
				max = sample.value();
			}
		}
		return max;
	}

	private static Sample sample(String line) {
		int brace = line.indexOf('{');
		int space = line.indexOf(' ');
		Map<String, String> labels = new LinkedHashMap<>();
		String name;
		int rest;
		if (brace >= 0 && (space < 0 || brace < space)) {
			name = line.substring(0, brace);
			rest = labels(line, brace + 1, labels);
		}
		else {
			name = line.substring(0, space);
			rest = space;
		}
		String[] tail = line.substring(rest).strip().split("\\s+");
		return new Sample(name, labels, value(tail[0]));
	}

	/**
	 * Reads {@code a="x",b="y"}} from {@code start}; returns the index after the brace.
	 */
	private static int labels(String line, int start, Map<String, String> labels) {
		int i = start;
		while (line.charAt(i) != '}') {
			int equals = line.indexOf('=', i);
			String label = line.substring(i, equals).strip();
			StringBuilder value = new StringBuilder();
			i = equals + 2; // past ="
			while (line.charAt(i) != '"') {
				char c = line.charAt(i);
				if (c == '\\') {
					i++;
					char escaped = line.charAt(i);
					value.append((escaped == 'n') ? '\n' : escaped);
				}
				else {
					value.append(c);
				}
				i++;
			}
			labels.put(label, value.toString());
			i++; // the closing quote
			if (line.charAt(i) == ',') {
				i++;
			}
		}
		return i + 1;
	}

	private static double value(String text) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(text);
		};
	}

	private record Sample(String name, Map<String, String> labels, double value) {
	}

}
