package io.millrace.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to find what an expression selects: each vector selector's metric
 * name and the label values it insists on. Function and aggregation names, the label
 * lists of {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_left}/
 * {@code group_right}, keywords, numbers, durations, range and subquery brackets, strings
 * and Grafana variables ({@code $instance}, {@code ${__rate_interval}}) are skipped.
 */
final class PromQl {

	/** Aggregation operators: may be followed by by/without before their parentheses. */
	private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
			"count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

	/** Keywords followed by a parenthesised list of label names. */
	private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
			"start", "end");

	/** A label value that names exactly one value (no regex metacharacters). */
	private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_:./ -]+");

	private PromQl() {
	}

	/**
	 * A vector selector.
	 *
	 * @param metric the metric name
	 * @param labels label values some series of the metric must have: each {@code =}
	 * matcher with a literal value, and each alternative of an {@code =~} matcher that is
	 * a plain list of literals ({@code reason=~"unauthorized|forbidden"}); matchers with
	 * variables or real regular expressions say nothing
	 */
	record Selector(String metric, List<Label> labels) {
	}

	/**
	 * A label and a value.
	 *
	 * @param name the label
	 * @param value the value
	 */
	record Label(String name, String value) {

		@Override
		public String toString() {
			return this.name + "=\"" + this.value + "\"";
		}

	}

	/**
	 * @param expression a PromQL expression (Grafana variables allowed)
	 * @return its vector selectors, in order
	 */
	static List<Selector> selectors(String expression) {
		return new Scanner(expression).selectors();
	}

	private static final class Scanner {

		private final String text;

		private int position;

		private final List<Selector> selectors = new ArrayList<>();

		Scanner(String text) {
			this.text = text;
		}

		List<Selector> selectors() {
			while (skipSpace()) {
				char c = this.text.charAt(this.position);
				if (c == '"' || c == '\'' || c == '`') {
					string();
				}
				else if (c == '#') {
					while (this.position < this.text.length() && this.text.charAt(this.position) != '\n') {
						this.position++;
					}
				}
				else if (c == '[') {
					skipPast(']');
				}
				else if (c == '$') {
					variable();
				}
				else if (c == '{') {
					// A selector without a metric name: only __name__ would name one.
					List<Label> labels = matchers();
					labels.stream()
						.filter((label) -> label.name().equals("__name__"))
						.findFirst()
						.ifPresent((name) -> this.selectors.add(new Selector(name.value(),
								labels.stream().filter((label) -> !label.name().equals("__name__")).toList())));
				}
				else if (Character.isDigit(c) || c == '.') {
					while (this.position < this.text.length()
							&& (Character.isLetterOrDigit(this.text.charAt(this.position))
									|| this.text.charAt(this.position) == '.'
									|| this.text.charAt(this.position) == '_')) {
						this.position++;
					}
				}
				else if (Character.isLetter(c) || c == '_' || c == ':') {
					identifier();
				}
				else {
					this.position++;
				}
			}
			return this.selectors;
		}

		private void identifier() {
			String name = name();
			boolean more = skipSpace();
			char next = more ? this.text.charAt(this.position) : 0;
			String lower = name.toLowerCase();
			if (LABEL_LIST_KEYWORDS.contains(lower)) {
				if (next == '(') {
					skipPast(')');
				}
				return;
			}
			if (KEYWORDS.contains(lower)) {
				return;
			}
			if (next == '(') {
				return; // a function or an aggregation
			}
			if (AGGREGATIONS.contains(lower) && more && isWordAhead()) {
				return; // "sum by (le) (...)"
			}
			List<Label> labels = (next == '{') ? matchers() : List.of();
			this.selectors.add(new Selector(name, labels));
		}

		private boolean isWordAhead() {
			int end = this.position;
			while (end < this.text.length() && Character.isLetter(this.text.charAt(end))) {
				end++;
			}
			String word = this.text.substring(this.position, end).toLowerCase();
			return word.equals("by") || word.equals("without");
		}

		/** Reads {@code {a="x", b=~"y|z"}} at the position. */
		private List<Label> matchers() {
			List<Label> labels = new ArrayList<>();
			this.position++; // {
			while (skipSpace() && this.text.charAt(this.position) != '}') {
				char c = this.text.charAt(this.position);
				if (c == ',') {
					this.position++;
					continue;
				}
				String label = (c == '"' || c == '\'' || c == '`') ? string() : name();
				skipSpace();
				int opStart = this.position;
				while (this.position < this.text.length() && "=!~".indexOf(this.text.charAt(this.position)) >= 0) {
					this.position++;
				}
				String operator = this.text.substring(opStart, this.position);
				skipSpace();
				String value = string();
				if (label.isEmpty() || value.contains("$")) {
					continue;
				}
				if (operator.equals("=")) {
					labels.add(new Label(label, value));
				}
				else if (operator.equals("=~")) {
					String[] alternatives = value.split("\\|", -1);
					boolean plain = true;
					for (String alternative : alternatives) {
						plain &= PLAIN_VALUE.matcher(alternative).matches() && !alternative.contains(".");
					}
					if (plain) {
						for (String alternative : alternatives) {
							labels.add(new Label(label, alternative));
						}
					}
				}
			}
			this.position++; // }
			return labels;
		}

		private String name() {
			int start = this.position;
			while (this.position < this.text.length() && (Character.isLetterOrDigit(this.text.charAt(this.position))
					|| this.text.charAt(this.position) == '_' || this.text.charAt(this.position) == ':')) {
				this.position++;
			}
			if (start == this.position) {
				this.position++; // not a name: move on
			}
			return this.text.substring(start, Math.min(this.position, this.text.length()));
		}

		/** Reads a quoted string at the position and returns its content, unescaped. */
		private String string() {
			if (this.position >= this.text.length()) {
				return "";
			}
			char quote = this.text.charAt(this.position);
			if (quote != '"' && quote != '\'' && quote != '`') {
				return name();
			}
			StringBuilder value = new StringBuilder();
			this.position++;
			while (this.position < this.text.length() && this.text.charAt(this.position) != quote) {
				char c = this.text.charAt(this.position);
				if (c == '\\' && quote != '`' && this.position + 1 < this.text.length()) {
					this.position++;
					c = this.text.charAt(this.position);
				}
				value.append(c);
				this.position++;
			}
			this.position++; // closing quote
			return value.toString();
		}

		/** A Grafana variable: $name, ${name}, ${name:format}. */
		private void variable() {
			this.position++;
			if (this.position < this.text.length() && this.text.charAt(this.position) == '{') {
				skipPast('}');
			}
			else {
				name();
			}
		}

		private void skipPast(char close) {
			int depth = 0;
			char open = this.text.charAt(this.position);
			while (this.position < this.text.length()) {
				char c = this.text.charAt(this.position++);
				if (c == open) {
					depth++;
				}
				else if (c == close && --depth == 0) {
					return;
				}
			}
		}

		/** Skips white space; false at the end of the text. */
		private boolean skipSpace() {
			while (this.position < this.text.length() && Character.isWhitespace(this.text.charAt(this.position))) {
				this.position++;
			}
			return this.position < this.text.length();
		}

	}

}
