package io.millrace.alerting.pipeline;

import java.time.Clock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.delivery.RetrySchedule;
import io.millrace.alerting.delivery.WebhookSender;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import io.millrace.alerting.evaluation.RuleEvaluator;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.task.StreamTask;
import io.millrace.storage.ObjectStore;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;
import io.millrace.transport.storage.StorageProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Wires rule evaluation and the delivery outbox as an operator of the streaming runtime,
 * fed by the {@code evaluateAggregates} consumer function; the runtime's wiring ticks it
 * and hands partitions over. Checkpoints go to the local directory or the Azure container
 * {@code millrace.storage} names.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class AlertingPipelineConfiguration {

	static final String INPUT_BINDING = "evaluateAggregates-in-0";

	@Bean
	ObjectStore checkpointObjects(AlertingProperties properties, StorageProperties storage) {
		return storage.create(properties.checkpoint().directory(), null);
	}

	@Bean
	AlertingMetrics alertingMetrics(MeterRegistry registry, AlertingProperties properties) {
		return new AlertingMetrics(registry, properties.rule().severity());
	}

	@Bean(destroyMethod = "close")
	DeliveryWorker deliveryWorker(AlertingProperties properties) {
		AlertingProperties.Delivery delivery = properties.delivery();
		DeliveryTargetGuard guard = new DeliveryTargetGuard(
				new TargetPolicy(delivery.allowHttp(), delivery.allowList()), Resolver.SYSTEM);
		WebhookSender sender = WebhookSender.withDefaults(guard,
				new WebhookSender.Timeouts(delivery.connectTimeout(), delivery.responseTimeout()));
		return new DeliveryWorker(sender, delivery.threads());
	}

	/**
	 * Checkpoints are filed under the consumer group and topic, so two pipelines reading
	 * different topics or groups from one store do not meet.
	 */
	@Bean
	StreamTask<WindowAggregate> alertingTask(AlertingProperties properties, RuleEvaluator evaluator,
			ObjectStore checkpointObjects, BindingOutputSink sink, AlertingMetrics metrics, DeliveryWorker worker,
			@Value("${spring.cloud.stream.bindings." + INPUT_BINDING + ".group}") String group,
			@Value("${spring.cloud.stream.bindings." + INPUT_BINDING + ".destination}") String topic) {
		Clock clock = Clock.systemUTC();
		AlertingProperties.Delivery delivery = properties.delivery();
		AlertingOperator operator = new AlertingOperator(evaluator, Subscriptions.from(properties),
				new PayloadWriter(delivery.externalUrl(), delivery.source()),
				new RetrySchedule(delivery.retryDelays(), delivery.jitter()), worker, metrics, clock, topic);
		metrics.gauges(operator::status);
		return new StreamTask<>(
				new StreamTask.Settings(topic, properties.checkpoint().interval(),
						properties.checkpoint().deliveryTimeout()),
				ContractDecoders.windowAggregates(), operator,
				new CheckpointStore(checkpointObjects, "alerting/" + group + "/" + topic), sink, metrics, clock);
	}

	@Bean
	Consumer<Message<?>> evaluateAggregates(StreamTask<WindowAggregate> alertingTask) {
		return TaskConsumers.batches(alertingTask);
	}

	@Bean
	TaskBinding alertingTaskBinding(StreamTask<WindowAggregate> alertingTask) {
		return new TaskBinding(INPUT_BINDING, alertingTask);
	}

}
