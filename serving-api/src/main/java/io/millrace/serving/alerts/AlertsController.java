package io.millrace.serving.alerts;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.api.Cursors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alerts as the {@code alerts} topic tells them: which fire now, and what changed lately.
 */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertsController {

	private final AlertBoard board;

	private final ServingProperties properties;

	AlertsController(AlertBoard board, ServingProperties properties) {
		this.board = board;
		this.properties = properties;
	}

	@Operation(summary = "Alerts, newest first",
			description = "The newest AlertEvent of each alert (one per fingerprint): 'firing' ones fire now, "
					+ "'resolved' ones stopped within millrace.serving.alerts.retention. Newest change first. "
					+ "Filters by severity, rule and sensor (each repeatable, any of the values).")
	@GetMapping
	Alerts alerts(
			@Parameter(description = "firing, resolved or all (default)") @RequestParam(
					defaultValue = "all") String state,
			@RequestParam(required = false) List<String> severity, @RequestParam(required = false) List<String> rule,
			@RequestParam(required = false) List<String> sensor,
			@Parameter(
					description = "at most this many (default 100, at most millrace.serving.api.max-limit)") @RequestParam(
							required = false) Integer limit) {
		return new Alerts(this.board.board(filter(state, severity, rule, sensor), limit(limit)));
	}

	@Operation(summary = "Alerts firing now", description = "The same as /api/v1/alerts?state=firing.")
	@GetMapping("/firing")
	Alerts firing(@RequestParam(required = false) List<String> severity,
			@RequestParam(required = false) List<String> rule, @RequestParam(required = false) List<String> sensor,
			@RequestParam(required = false) Integer limit) {
		return alerts("firing", severity, rule, sensor, limit);
	}

	@Operation(summary = "Recent alert state changes, newest first",
			description = "Every AlertEvent taken in within millrace.serving.alerts.retention (at most "
					+ "millrace.serving.alerts.max-alerts), so an alert that fired and resolved appears twice. "
					+ "Same filters as /api/v1/alerts; 'state' filters the events' status.")
	@GetMapping("/events")
	Alerts events(@RequestParam(defaultValue = "all") String state,
			@RequestParam(required = false) List<String> severity, @RequestParam(required = false) List<String> rule,
			@RequestParam(required = false) List<String> sensor, @RequestParam(required = false) Integer limit) {
		return new Alerts(this.board.recent(filter(state, severity, rule, sensor), limit(limit)));
	}

	private int limit(Integer limit) {
		return Cursors.limit(limit, this.properties.api().defaultLimit(), this.properties.api().maxLimit());
	}

	private static Predicate<AlertEvent> filter(String state, List<String> severity, List<String> rule,
			List<String> sensor) {
		AlertStatus status = switch (state.toLowerCase(Locale.ROOT)) {
			case "firing" -> AlertStatus.FIRING;
			case "resolved" -> AlertStatus.RESOLVED;
			case "all" -> null;
			default ->
				throw ApiException.invalidParameter("state", "must be firing, resolved or all, was '" + state + "'");
		};
		Set<String> severities = lowerCase(severity);
		Set<String> rules = (rule != null) ? Set.copyOf(rule) : Set.of();
		Set<String> sensors = (sensor != null) ? Set.copyOf(sensor) : Set.of();
		return (event) -> (status == null || event.status() == status)
				&& (severities.isEmpty()
						|| (event.severity() != null && severities.contains(event.severity().toLowerCase(Locale.ROOT))))
				&& (rules.isEmpty() || rules.contains(event.ruleId()))
				&& (sensors.isEmpty() || sensors.contains(event.sensorId()));
	}

	private static Set<String> lowerCase(List<String> values) {
		if (values == null) {
			return Set.of();
		}
		return values.stream()
			.map((value) -> value.toLowerCase(Locale.ROOT))
			.collect(java.util.stream.Collectors.toUnmodifiableSet());
	}

	/**
	 * The body of the alert listings.
	 *
	 * @param alerts AlertEvents, newest first
	 */
	record Alerts(List<AlertEvent> alerts) {
	}

}
