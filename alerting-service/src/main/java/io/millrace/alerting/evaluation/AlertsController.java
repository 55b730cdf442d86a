package io.millrace.alerting.evaluation;

import java.util.List;

import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.rules.AlertRule;
import io.millrace.model.alert.AlertEvent;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What is configured and what is firing now. */
@RestController
@RequestMapping("/api/v1")
class AlertsController {

	private final RuleEvaluator evaluator;

	private final AlertingProperties properties;

	AlertsController(RuleEvaluator evaluator, AlertingProperties properties) {
		this.evaluator = evaluator;
		this.properties = properties;
	}

	@GetMapping("/rules")
	List<RuleView> rules() {
		AlertRule rule = this.properties.rule();
		return List.of(new RuleView(rule.id(), rule.metric(), rule.statistic().name().toLowerCase(),
				rule.operator().symbol(), rule.threshold(), rule.severity(), rule.expression()));
	}

	@GetMapping("/alerts")
	List<AlertEvent> firing() {
		return this.evaluator.firing();
	}

	record RuleView(String id, String metric, String statistic, String operator, double threshold, String severity,
			String expression) {
	}

}
