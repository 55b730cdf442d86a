package io.millrace.lakehouse.silver;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The expectation language: what it accepts, how it evaluates, how it refuses. */
class ExpectationParserTests {

	private static Reading reading(double value, String unit) {
		return new Reading("e1", "s1", 0, "temperature", "Temperature", value, unit, null, null, null, null, null, null,
				null, "0", 7, 0);
	}

	@Test
	void betweenComparisonsAndNullChecks() {
		Expectation range = ExpectationParser.parse("value-in-range", "value BETWEEN -50 AND 150", "warn");
		assertThat(range.action()).isEqualTo(Expectation.Action.WARN);
		assertThat(range.test(reading(-50, null))).isTrue();
		assertThat(range.test(reading(150, null))).isTrue();
		assertThat(range.test(reading(150.5, null))).isFalse();
		assertThat(range.reason(reading(151, null)))
			.isEqualTo("value-in-range: value BETWEEN -50 AND 150 (value=151.0)");

		Expectation both = ExpectationParser.parse("both", "value >= 0 and unit IS NOT NULL AND metric <> 'x'", "DROP");
		assertThat(both.action()).isEqualTo(Expectation.Action.DROP);
		assertThat(both.conditions()).hasSize(3);
		assertThat(both.test(reading(1, "°C"))).isTrue();
		assertThat(both.test(reading(1, null))).as("null fails every comparison but IS NULL").isFalse();
		assertThat(both.test(reading(-1, "°C"))).isFalse();

		assertThat(ExpectationParser.parse("no-unit", "unit IS NULL", "fail").test(reading(1, null))).isTrue();
		assertThat(ExpectationParser.parse("q", "sensor_id = 'it''s'", "warn").conditions().get(0).operands())
			.containsExactly("it's");
		assertThat(ExpectationParser.parse("sci", "value < 1.5e3", "warn").test(reading(1499, null))).isTrue();
	}

	@Test
	void aBadRuleIsRefusedWithItsNameAndWhere() {
		Map<String, String> bad = Map.of("value BETWEEN 1", "expected AND in BETWEEN at the end of", "temperature > 3",
				"unknown column 'temperature'", "value > 'high'",
				"expected a number for column value, found ''high'' at position 9", "unit = 3",
				"expected a quoted text for column unit", "value ~ 3", "cannot read '~ 3' at position 7",
				"value > 1 OR value < 0", "expected AND or the end at position 11", "value IS NOT", "expected NULL", "",
				"has no expression");
		bad.forEach((expression, message) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> ExpectationParser.parse("my-rule", expression, "warn"))
			.withMessageStartingWith("Expectation 'my-rule'")
			.withMessageContaining(message));
		assertThatIllegalArgumentException().isThrownBy(() -> ExpectationParser.parse("r", "value > 1", "ignore"))
			.withMessage("Expectation 'r': action 'ignore' is not one of warn, drop, fail");
	}

}
