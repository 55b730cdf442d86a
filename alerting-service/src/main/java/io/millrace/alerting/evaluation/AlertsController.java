package io.millrace.alerting.evaluation;

import java.util.List;

import io.millrace.alerting.lifecycle.ActiveAlert;
import io.millrace.alerting.pipeline.ActiveAlerts;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The alerts pending or firing now. Each instance knows the partitions it owns: with
 * several replicas, ask each (or read the {@code alerts} topic, which has every
 * transition).
 */
@RestController
@RequestMapping("/api/v1")
class AlertsController {

	private final ActiveAlerts active;

	AlertsController(ActiveAlerts active) {
		this.active = active;
	}

	@GetMapping("/alerts")
	List<ActiveAlert> active() {
		return this.active.list();
	}

}
