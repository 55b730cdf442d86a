package io.millrace.alerting.lifecycle;

import java.time.Instant;

/**
 * A series that is pending or firing now, for the alerts API.
 *
 * @param ruleId the rule
 * @param fingerprint the series' fingerprint
 * @param sensorId the sensor
 * @param metric the metric ({@code *} for an absence rule over any reading)
 * @param state pending or firing
 * @param since when the condition started holding (the alert's {@code startsAt})
 * @param value the last observed value
 * @param partition the input partition whose state holds it
 */
public record ActiveAlert(String ruleId, String fingerprint, String sensorId, String metric, AlertState state,
		Instant since, double value, String partition) {
}
