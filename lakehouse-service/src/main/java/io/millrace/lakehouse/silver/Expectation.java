package io.millrace.lakehouse.silver;

import java.util.List;
import java.util.Objects;

/**
 * A named data-quality rule on Silver readings, in the spirit of Delta Live Tables'
 * expectations: a condition each reading should meet, and what happens to one that does
 * not.
 *
 * @param name the rule's name (metrics, quarantine and quality rows carry it)
 * @param expression the condition as configured
 * @param conditions the parsed condition: all must hold
 * @param action what a reading that fails it gets
 */
public record Expectation(String name, String expression, List<Condition> conditions, Action action) {

	/**
	 * @param reading a reading
	 * @return whether it meets the rule
	 */
	public boolean test(Reading reading) {
		for (Condition condition : this.conditions) {
			if (!condition.test(reading)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * @param reading a reading that failed
	 * @return why, with the values of the columns the rule names
	 */
	public String reason(Reading reading) {
		StringBuilder reason = new StringBuilder(this.name).append(": ").append(this.expression).append(" (");
		String separator = "";
		for (String column : this.conditions.stream().map(Condition::column).distinct().toList()) {
			reason.append(separator).append(column).append('=').append(reading.column(column));
			separator = ", ";
		}
		return reason.append(')').toString();
	}

	/** What a reading that fails an expectation gets. */
	public enum Action {

		/** Kept in Silver, counted. */
		WARN,

		/**
		 * Kept out of Silver, counted, written to the quarantine table with the rule's
		 * name.
		 */
		DROP,

		/** The Silver pipeline stops at the record: nothing past it is committed. */
		FAIL;

		public String label() {
			return name().toLowerCase();
		}

	}

	/**
	 * One comparison of a column: {@code BETWEEN}, {@code =}, {@code <>}, {@code <},
	 * {@code <=}, {@code >}, {@code >=}, {@code IS NULL}, {@code IS NOT NULL}. A null
	 * column fails every comparison but {@code IS NULL} (as SQL's unknown does not pass a
	 * filter).
	 *
	 * @param column the column
	 * @param operator the operator
	 * @param operands its literals (none, one, or two for {@code BETWEEN}):
	 * {@code Double} for numeric columns, {@code String} for text ones
	 */
	public record Condition(String column, String operator, List<Object> operands) {

		boolean test(Reading reading) {
			Object value = reading.column(this.column);
			return switch (this.operator) {
				case "IS NULL" -> value == null;
				case "IS NOT NULL" -> value != null;
				default -> value != null && compare(value);
			};
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private boolean compare(Object value) {
			Comparable left = (Comparable) value;
			if ("BETWEEN".equals(this.operator)) {
				return left.compareTo(this.operands.get(0)) >= 0 && left.compareTo(this.operands.get(1)) <= 0;
			}
			int order = left.compareTo(this.operands.get(0));
			return switch (this.operator) {
				case "=" -> order == 0;
				case "<>", "!=" -> order != 0;
				case "<" -> order < 0;
				case "<=" -> order <= 0;
				case ">" -> order > 0;
				case ">=" -> order >= 0;
				default -> throw new IllegalStateException(Objects.toString(this.operator));
			};
		}

	}

}
