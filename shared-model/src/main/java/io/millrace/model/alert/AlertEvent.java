package io.millrace.model.alert;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.millrace.model.aggregate.AggregateWindow;

/**
 * A change in the state of one alert: a rule's condition started or stopped holding for
 * one sensor and metric. Published to the {@code alerts} topic and delivered to webhooks.
 *
 * @param alertId unique id of this alert event
 * @param ruleId the rule that fired
 * @param fingerprint stable identity of rule + sensor + metric, for grouping and dedupe
 * @param status firing or resolved
 * @param severity severity from the rule, for example {@code warning} or {@code critical}
 * @param sensorId the sensor
 * @param metric the metric
 * @param value the observed value that was compared with the threshold
 * @param threshold the rule's threshold
 * @param window the window whose aggregate was evaluated
 * @param startsAt when the condition started holding (window end of the first breach)
 * @param endsAt when the condition stopped holding; {@code null} while firing
 * @param labels identifying labels (rule, sensor, metric, statistic)
 * @param annotations human-readable text (summary)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertEvent(String alertId, String ruleId, String fingerprint, AlertStatus status, String severity,
		String sensorId, String metric, double value, double threshold, AggregateWindow window, Instant startsAt,
		Instant endsAt, Map<String, String> labels, Map<String, String> annotations) {

}
