package io.millrace.alerting.evaluation;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.delivery.WebhookDelivery;
import io.millrace.transport.DeadLetterPublisher;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rule evaluator, the webhook delivery, the {@code evaluateAggregates} consumer and
 * the {@code deadletter} output for records that are not aggregates.
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
	DeadLetterPublisher deadLetterPublisher(StreamBridge bridge) {
		return new DeadLetterPublisher(bridge);
	}

	@Bean
	AlertPipeline evaluateAggregates(RuleEvaluator evaluator, StreamBridge bridge, WebhookDelivery delivery,
			DeadLetterPublisher deadLetters,
			@Value("${spring.cloud.stream.bindings.evaluateAggregates-in-0.destination:telemetry-aggregates}") String source,
			MeterRegistry registry) {
		return new AlertPipeline(evaluator, bridge, delivery, deadLetters, source, registry);
	}

}
