package io.millrace.alerting.lifecycle;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a rule compares an observed value with its threshold. */
public enum Comparison {

	GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

	private final String symbol;

	Comparison(String symbol) {
		this.symbol = symbol;
	}

	/**
	 * Parse an operator written as a symbol ({@code >}) or a name ({@code gt}).
	 * @param text the operator
	 * @return the operator
	 */
	@JsonCreator
	public static Comparison parse(String text) {
		String trimmed = text.trim();
		return Arrays.stream(values())
			.filter((operator) -> operator.symbol.equals(trimmed) || operator.name().equalsIgnoreCase(trimmed))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown operator '" + text + "'; use one of >, >=, <, <=, ==, != (or gt, ge, lt, le, eq, ne)"));
	}

	public boolean holds(double value, double threshold) {
		return switch (this) {
			case GT -> value > threshold;
			case GE -> value >= threshold;
			case LT -> value < threshold;
			case LE -> value <= threshold;
			case EQ -> value == threshold;
			case NE -> value != threshold;
		};
	}

	/**
	 * Whether a resolve threshold makes sense: only for the ordering operators, where it
	 * lies on the other side of the threshold.
	 * @return true for {@code > >= < <=}
	 */
	boolean isOrdering() {
		return this != EQ && this != NE;
	}

	/**
	 * Whether the operator fires on high values.
	 * @return true for {@code >} and {@code >=}
	 */
	boolean firesAbove() {
		return this == GT || this == GE;
	}

	@JsonValue
	public String symbol() {
		return this.symbol;
	}

}
