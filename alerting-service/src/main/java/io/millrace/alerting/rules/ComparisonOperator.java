package io.millrace.alerting.rules;

import java.util.Arrays;

/** How a rule compares the observed value with its threshold. */
public enum ComparisonOperator {

	GT(">"), GE(">="), LT("<"), LE("<=");

	private final String symbol;

	ComparisonOperator(String symbol) {
		this.symbol = symbol;
	}

	/**
	 * Parse an operator written as a symbol ({@code >}) or a name ({@code gt}).
	 * @param text the operator
	 * @return the operator
	 */
	public static ComparisonOperator parse(String text) {
		String trimmed = text.trim();
		return Arrays.stream(values())
			.filter((operator) -> operator.symbol.equals(trimmed) || operator.name().equalsIgnoreCase(trimmed))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown operator '" + text + "'; use one of >, >=, <, <= (or gt, ge, lt, le)"));
	}

	public boolean holds(double value, double threshold) {
		return switch (this) {
			case GT -> value > threshold;
			case GE -> value >= threshold;
			case LT -> value < threshold;
			case LE -> value <= threshold;
		};
	}

	public String symbol() {
		return this.symbol;
	}

}
