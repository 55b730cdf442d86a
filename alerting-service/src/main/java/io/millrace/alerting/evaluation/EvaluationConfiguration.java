package io.millrace.alerting.evaluation;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.delivery.WebhookDelivery;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rule evaluator, the webhook delivery and the {@code evaluateAggregates} consumer.
 */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

	@Bean
	RuleEvaluator ruleEvaluator(AlertingProperties properties) {
		return new RuleEvaluator(properties.rule());
	}

	@Bean
	WebhookDelivery webhookDelivery(AlertingProperties properties, MeterRegistry registry) {
		return new WebhookDelivery(properties.webhook(), registry);
	}

	@Bean
	AlertPipeline evaluateAggregates(RuleEvaluator evaluator, StreamBridge bridge, WebhookDelivery delivery,
			MeterRegistry registry) {
		return new AlertPipeline(evaluator, bridge, delivery, registry);
	}

}
