package io.millrace.alerting.catalog;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.millrace.model.alert.AlertEvent;

/**
 * Which alerts a subscription receives: an alert must match every filter that is set.
 *
 * @param rules rule ids; any when empty
 * @param severities severities; any when empty
 * @param labels labels the alert must carry with these values
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SubscriptionFilters(List<String> rules, List<String> severities, Map<String, String> labels) {

	public SubscriptionFilters {
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		severities = (severities != null) ? List.copyOf(severities) : List.of();
		labels = (labels != null) ? new TreeMap<>(labels) : new TreeMap<>();
	}

	/**
	 * Every alert.
	 * @return filters that filter nothing
	 */
	public static SubscriptionFilters none() {
		return new SubscriptionFilters(null, null, null);
	}

	/**
	 * Whether an alert passes.
	 * @param alert the alert
	 * @return true when it matches every filter that is set
	 */
	public boolean matches(AlertEvent alert) {
		if (!this.rules.isEmpty() && !this.rules.contains(alert.ruleId())) {
			return false;
		}
		if (!this.severities.isEmpty() && !this.severities.contains(alert.severity())) {
			return false;
		}
		Map<String, String> labels = (alert.labels() != null) ? alert.labels() : Map.of();
		return this.labels.entrySet().stream().allMatch((label) -> label.getValue().equals(labels.get(label.getKey())));
	}

}
