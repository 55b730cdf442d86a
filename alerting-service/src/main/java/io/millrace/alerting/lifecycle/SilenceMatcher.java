package io.millrace.alerting.lifecycle;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One condition of a silence on an alert's labels, as in Alertmanager: equal or not
 * equal, to a literal value or a regular expression that must match the whole value. A
 * label the alert does not carry counts as the empty string.
 *
 * @param name the label name
 * @param value the value or the regular expression
 * @param isRegex whether {@code value} is a regular expression
 * @param isEqual true for {@code =} / {@code =~}, false for {@code !=} / {@code !~}
 */
public record SilenceMatcher(String name, String value, boolean isRegex, boolean isEqual) {

	/**
	 * Whether the label value meets this matcher.
	 * @param labelValue the alert's label value, or null when it has none
	 * @return whether it matches
	 */
	public boolean matches(String labelValue) {
		String actual = (labelValue != null) ? labelValue : "";
		boolean same = this.isRegex ? Pattern.compile(this.value).matcher(actual).matches() : this.value.equals(actual);
		return same == this.isEqual;
	}

	/**
	 * The matcher as Alertmanager writes it.
	 * @return for example {@code sensorId=~"s-.*"}
	 */
	@JsonIgnore
	public String expression() {
		String operator = (this.isEqual ? "=" : "!") + (this.isRegex ? "~" : (this.isEqual ? "" : "="));
		return this.name + operator + "\"" + this.value + "\"";
	}

}
