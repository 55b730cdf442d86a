package io.millrace.alerting.evaluation;

import io.millrace.alerting.AlertingProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rule evaluator; the streaming runtime's operator (io.millrace.alerting.pipeline)
 * feeds it and keeps its state per partition.
 */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

	@Bean
	RuleEvaluator ruleEvaluator(AlertingProperties properties) {
		return new RuleEvaluator(properties.rule());
	}

}
