package io.millrace.alerting.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.millrace.model.json.MillraceJson;

/**
 * A valid rule ready for evaluation: its selector compiled and its definition hash, the
 * hash of its canonical JSON, which series state remembers so that a changed rule does
 * not continue from state built under the old one.
 */
final class CompiledRule {

	final Rule rule;

	final String hash;

	private final SensorSelector.Matcher selector;

	CompiledRule(Rule rule) {
		RuleValidator.require(rule);
		this.rule = rule;
		this.hash = Fingerprints.sha256Hex(new String(MillraceJson.bytes(rule), StandardCharsets.UTF_8));
		this.selector = rule.selector().compile();
	}

	boolean selects(String sensorId, SensorTags registry, Map<String, String> eventTags) {
		if (!this.selector.needsTags()) {
			return this.selector.matches(sensorId, Map.of());
		}
		Map<String, String> tags = new HashMap<>(registry.of(sensorId));
		if (eventTags != null) {
			// What the reading itself says about the sensor is the newest word.
			tags.putAll(eventTags);
		}
		return this.selector.matches(sensorId, tags);
	}

	/**
	 * The condition as people read it, for default summaries.
	 * @return for example {@code max(temperature) > 80.0}
	 */
	String expression() {
		Rule r = this.rule;
		return switch (r.kind()) {
			case THRESHOLD -> statistic() + " " + r.operator().symbol() + " " + r.threshold();
			case INSTANT -> r.metric() + " " + r.operator().symbol() + " " + r.threshold();
			case RATE_OF_CHANGE -> "change of " + statistic() + " between windows "
					+ ((r.change() == ChangeMode.PERCENT) ? "(%) " : "") + r.operator().symbol() + " " + r.threshold();
			case ABSENCE -> "no reading" + ((r.metric() != null) ? " of " + r.metric() : "") + " for " + r.after();
			case ANOMALY ->
				statistic() + " outside mean ± " + r.k() + "·stddev of the last " + r.lookback() + " windows";
		};
	}

	private String statistic() {
		return this.rule.statistic().json() + "(" + this.rule.metric() + ")";
	}

}
