package io.millrace.alerting.lifecycle;

/**
 * One evaluation of a rule's condition.
 *
 * @param value the observed value (statistic, reading, change)
 * @param threshold the threshold it was compared with (for anomaly: the band edge on its
 * side of the mean)
 * @param holds whether the condition holds: starts or continues pending
 * @param staysFiring whether a firing alert stays firing: the condition against the
 * resolve threshold (hysteresis)
 */
record Observation(double value, double threshold, boolean holds, boolean staysFiring) {

	static Observation compare(Rule rule, double value) {
		return new Observation(value, rule.threshold(), rule.operator().holds(value, rule.threshold()),
				rule.operator().holds(value, rule.stayThreshold()));
	}

}
