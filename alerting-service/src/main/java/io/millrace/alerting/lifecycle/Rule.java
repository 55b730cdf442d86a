package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An alert rule, as the rules API accepts it (JSON, camelCase; durations ISO-8601 such as
 * {@code PT5M}). Which fields a rule needs depends on its {@link RuleKind kind};
 * {@link RuleValidator} says which are missing or wrong. Optional fields get their
 * defaults here, so that two rules that mean the same are equal.
 *
 * @param id stable id, part of every alert's fingerprint
 * @param name human-readable name
 * @param kind what the rule watches
 * @param selector which sensors (every sensor when absent)
 * @param metric the metric; for absence rules optional (any reading counts)
 * @param statistic which statistic of a window (window kinds)
 * @param window which windows (window kinds; required for rate-of-change and anomaly)
 * @param operator comparison of the observed value with {@code threshold} (threshold,
 * instant, rate-of-change)
 * @param threshold the value compared against
 * @param resolveThreshold hysteresis: once firing, the alert stays firing while the value
 * still compares true against this (for {@code > 80} with {@code 70}: until the value is
 * at or below 70); the condition's own threshold when absent
 * @param forDuration JSON {@code for}: how long the condition must hold before the alert
 * fires (event time); 0 fires on the first observation
 * @param keepFiringFor how long a firing alert keeps firing after the condition last held
 * (event time)
 * @param noData what no windows for a while mean (window kinds); nothing changes when
 * absent
 * @param change absolute or percent (rate-of-change)
 * @param after how long without a reading fires (absence; processing time)
 * @param lookback how many past windows the mean and stddev cover (anomaly)
 * @param k how many standard deviations from the mean are anomalous (anomaly)
 * @param minWindows windows seen before the rule evaluates (anomaly; {@code lookback}
 * when absent)
 * @param severity copied to the alerts, for example {@code warning} or {@code critical}
 * @param notifyResolved whether a resolved alert is notified (default true); the resolved
 * event is published either way
 * @param labels copied to every alert, next to the engine's own labels
 * @param annotations templates copied to every alert, with {@code {{sensorId}}},
 * {@code {{metric}}}, {@code {{value}}}, {@code {{threshold}}}, {@code {{ruleId}}},
 * {@code {{ruleName}}}, {@code {{severity}}}, {@code {{status}}}, {@code {{windowStart}}}
 * and {@code {{windowEnd}}} filled in
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String id, String name, RuleKind kind, SensorSelector selector, String metric, Statistic statistic,
		WindowFilter window, Comparison operator, Double threshold, Double resolveThreshold,
		@JsonProperty("for") Duration forDuration, Duration keepFiringFor, NoData noData, ChangeMode change,
		Duration after, Integer lookback, Double k, Integer minWindows, String severity, Boolean notifyResolved,
		Map<String, String> labels, Map<String, String> annotations) {

	/** The severity of a rule that names none. */
	public static final String DEFAULT_SEVERITY = "warning";

	public Rule {
		selector = (selector != null) ? selector : SensorSelector.all();
		forDuration = (forDuration != null) ? forDuration : Duration.ZERO;
		keepFiringFor = (keepFiringFor != null) ? keepFiringFor : Duration.ZERO;
		change = (change != null || kind != RuleKind.RATE_OF_CHANGE) ? change : ChangeMode.ABSOLUTE;
		minWindows = (minWindows != null || kind != RuleKind.ANOMALY) ? minWindows : lookback;
		severity = (severity != null) ? severity : DEFAULT_SEVERITY;
		notifyResolved = (notifyResolved != null) ? notifyResolved : Boolean.TRUE;
		// Sorted, so that the canonical JSON (the definition hash) does not depend on the
		// order the author wrote them in.
		labels = (labels != null) ? new TreeMap<>(labels) : new TreeMap<>();
		annotations = (annotations != null) ? new TreeMap<>(annotations) : new TreeMap<>();
	}

	/**
	 * This rule under another id (the API takes the id from the path).
	 * @param newId the id
	 * @return the rule
	 */
	public Rule withId(String newId) {
		return new Rule(newId, this.name, this.kind, this.selector, this.metric, this.statistic, this.window,
				this.operator, this.threshold, this.resolveThreshold, this.forDuration, this.keepFiringFor, this.noData,
				this.change, this.after, this.lookback, this.k, this.minWindows, this.severity, this.notifyResolved,
				this.labels, this.annotations);
	}

	/**
	 * The metric a series of this rule is keyed by: the rule's metric, or {@code *} for
	 * an absence rule over any reading.
	 * @return the metric key
	 */
	String metricKey() {
		return (this.metric != null) ? this.metric : "*";
	}

	/**
	 * The threshold a firing alert is compared with to stay firing.
	 * @return the resolve threshold, or the threshold
	 */
	double stayThreshold() {
		return (this.resolveThreshold != null) ? this.resolveThreshold : this.threshold;
	}

}
