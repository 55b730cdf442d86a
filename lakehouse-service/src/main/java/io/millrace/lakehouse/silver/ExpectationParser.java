package io.millrace.lakehouse.silver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small expression language of expectations, on purpose no more than this: <pre>
 * rule       := condition ( AND condition )*
 * condition  := column BETWEEN literal AND literal
 *             | column ( = | &lt;&gt; | != | &lt; | &lt;= | &gt; | &gt;= ) literal
 *             | column IS [NOT] NULL
 * literal    := number | 'text'
 * </pre> Keywords in any case; columns are Silver's ({@link #COLUMNS}), numeric ones
 * compared with numbers, text ones with quoted text. Anything else is refused at start
 * with the rule's name, the position and what was expected.
 */
public final class ExpectationParser {

	/** The columns a rule may name, and whether each is numeric. */
	public static final Map<String, Boolean> COLUMNS = Map.of("value", true, "latitude", true, "longitude", true,
			"metric", false, "source_metric", false, "sensor_id", false, "event_id", false, "unit", false,
			"sensor_name", false, "location", false);

	private static final Pattern TOKEN = Pattern.compile(
			"\\s*(?:(?<number>[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)|(?<text>'(?:[^']|'')*')|(?<op><>|!=|<=|>=|=|<|>)|(?<word>[A-Za-z_][A-Za-z0-9_]*))");

	private final String name;

	private final String expression;

	private final List<Token> tokens = new ArrayList<>();

	private int next;

	private ExpectationParser(String name, String expression) {
		this.name = name;
		this.expression = expression;
	}

	/**
	 * @param name the rule's name
	 * @param expression its condition
	 * @param action {@code warn}, {@code drop} or {@code fail}
	 * @return the expectation
	 * @throws IllegalArgumentException naming the rule and what is wrong
	 */
	public static Expectation parse(String name, String expression, String action) {
		if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
			throw new IllegalArgumentException(
					"Expectation name '" + name + "' must be letters, digits, '_', '.', '-'");
		}
		Expectation.Action parsedAction;
		try {
			parsedAction = Expectation.Action.valueOf(String.valueOf(action).trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Expectation '" + name + "': action '" + action + "' is not one of warn, drop, fail");
		}
		if (expression == null || expression.isBlank()) {
			throw new IllegalArgumentException("Expectation '" + name + "' has no expression");
		}
		ExpectationParser parser = new ExpectationParser(name, expression);
		parser.tokenize();
		List<Expectation.Condition> conditions = new ArrayList<>();
		conditions.add(parser.condition());
		while (parser.acceptKeyword("AND")) {
			conditions.add(parser.condition());
		}
		if (parser.next < parser.tokens.size()) {
			throw parser.error("expected AND or the end");
		}
		return new Expectation(name, expression.trim(), List.copyOf(conditions), parsedAction);
	}

	private void tokenize() {
		Matcher matcher = TOKEN.matcher(this.expression);
		int at = 0;
		while (at < this.expression.length()) {
			if (Character.isWhitespace(this.expression.charAt(at))) {
				at++;
				continue;
			}
			if (!matcher.find(at) || matcher.start() != at) {
				throw new IllegalArgumentException(
						"Expectation '" + this.name + "': cannot read '" + this.expression.substring(at).trim()
								+ "' at position " + (at + 1) + " of '" + this.expression + "'");
			}
			Kind kind = (matcher.group("number") != null) ? Kind.NUMBER : (matcher.group("text") != null) ? Kind.TEXT
					: (matcher.group("op") != null) ? Kind.OPERATOR : Kind.WORD;
			String text = matcher.group(kind.group);
			this.tokens.add(new Token(kind, text, matcher.start(kind.group) + 1));
			at = matcher.end();
		}
	}

	private Expectation.Condition condition() {
		Token column = take("a column");
		String columnName = column.text.toLowerCase(Locale.ROOT);
		if (column.kind != Kind.WORD || !COLUMNS.containsKey(columnName)) {
			throw error(column, "unknown column '" + column.text + "'; columns are " + COLUMNS.keySet());
		}
		boolean numeric = COLUMNS.get(columnName);
		if (acceptKeyword("BETWEEN")) {
			Object low = literal(numeric, columnName);
			if (!acceptKeyword("AND")) {
				throw error("expected AND in BETWEEN");
			}
			Object high = literal(numeric, columnName);
			return new Expectation.Condition(columnName, "BETWEEN", List.of(low, high));
		}
		if (acceptKeyword("IS")) {
			boolean not = acceptKeyword("NOT");
			if (!acceptKeyword("NULL")) {
				throw error("expected NULL after IS" + (not ? " NOT" : ""));
			}
			return new Expectation.Condition(columnName, not ? "IS NOT NULL" : "IS NULL", List.of());
		}
		Token operator = take("BETWEEN, IS or a comparison");
		if (operator.kind != Kind.OPERATOR) {
			throw error(operator, "expected BETWEEN, IS or a comparison after " + columnName);
		}
		return new Expectation.Condition(columnName, operator.text, List.of(literal(numeric, columnName)));
	}

	private Object literal(boolean numeric, String column) {
		Token literal = take(numeric ? "a number" : "a quoted text");
		if (numeric && literal.kind == Kind.NUMBER) {
			return Double.valueOf(literal.text);
		}
		if (!numeric && literal.kind == Kind.TEXT) {
			return literal.text.substring(1, literal.text.length() - 1).replace("''", "'");
		}
		throw error(literal, "expected " + (numeric ? "a number" : "a quoted text") + " for column " + column
				+ ", found '" + literal.text + "'");
	}

	private boolean acceptKeyword(String keyword) {
		if (this.next < this.tokens.size() && this.tokens.get(this.next).kind == Kind.WORD
				&& this.tokens.get(this.next).text.equalsIgnoreCase(keyword)) {
			this.next++;
			return true;
		}
		return false;
	}

	private Token take(String expected) {
		if (this.next >= this.tokens.size()) {
			throw new IllegalArgumentException("Expectation '" + this.name + "': expected " + expected
					+ " at the end of '" + this.expression + "'");
		}
		return this.tokens.get(this.next++);
	}

	private IllegalArgumentException error(String message) {
		if (this.next >= this.tokens.size()) {
			return new IllegalArgumentException(
					"Expectation '" + this.name + "': " + message + " at the end of '" + this.expression + "'");
		}
		return error(this.tokens.get(this.next), message);
	}

	private IllegalArgumentException error(Token at, String message) {
		return new IllegalArgumentException("Expectation '" + this.name + "': " + message + " at position "
				+ at.position + " of '" + this.expression + "'");
	}

	private enum Kind {

		NUMBER("number"), TEXT("text"), OPERATOR("op"), WORD("word");

		private final String group;

		Kind(String group) {
			this.group = group;
		}

	}

	private record Token(Kind kind, String text, int position) {
	}

}
