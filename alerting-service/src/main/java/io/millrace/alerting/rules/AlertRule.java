package io.millrace.alerting.rules;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A threshold rule: fire when {@code statistic(metric) operator threshold} holds for a
 * sensor's closed window, resolve when it stops holding.
 *
 * @param id stable rule id, part of every alert's fingerprint
 * @param metric the metric the rule watches, for example {@code temperature}
 * @param statistic which statistic of the window is compared
 * @param operator the comparison
 * @param threshold the value compared against
 * @param severity copied to the alerts, for example {@code warning} or {@code critical}
 */
public record AlertRule(@NotBlank @DefaultValue("high-temperature") String id,
		@NotBlank @DefaultValue("temperature") String metric, @NotNull @DefaultValue("max") Statistic statistic,
		@NotNull @DefaultValue(">") ComparisonOperator operator, @DefaultValue("80") double threshold,
		@NotBlank @DefaultValue("warning") String severity) {

	/**
	 * The rule as people write it.
	 * @return for example {@code max(temperature) > 80.0}
	 */
	public String expression() {
		return this.statistic.name().toLowerCase() + "(" + this.metric + ") " + this.operator.symbol() + " "
				+ this.threshold;
	}

}
