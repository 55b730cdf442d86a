package io.millrace.alerting.pipeline;

import java.util.List;

import io.millrace.alerting.lifecycle.ActiveAlert;

/**
 * The alerts pending or firing in the partitions this instance owns, for the alerts API.
 */
@FunctionalInterface
public interface ActiveAlerts {

	/**
	 * @return them, aggregates' first, then readings'
	 */
	List<ActiveAlert> list();

}
