package io.millrace.alerting.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.catalog.AlertingCatalog;
import io.millrace.alerting.delivery.ReceiverTrust;
import io.millrace.alerting.delivery.RetrySchedule;
import io.millrace.alerting.delivery.WebhookSender;
import io.millrace.alerting.delivery.payload.PayloadWriter;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import io.millrace.alerting.deliverylog.RedeliveryInbox;
import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.decode.Decoder;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.task.StreamTask;
import io.millrace.storage.ObjectStore;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;
import io.millrace.transport.storage.StorageProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Wires rule evaluation and the delivery outbox as two operators of the streaming
 * runtime: one over final window aggregates (consumer function
 * {@code evaluateAggregates}), one over raw readings for instant and absence rules
 * ({@code evaluateReadings}). Each is its own task with its own consumer group,
 * checkpoints and outbox; they share the catalog, the delivery threads and the metrics.
 * Checkpoints go to the local directory or the Azure container {@code millrace.storage}
 * names.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class AlertingPipelineConfiguration {

	static final String AGGREGATES_BINDING = "evaluateAggregates-in-0";

	static final String READINGS_BINDING = "evaluateReadings-in-0";

	@Bean
	ObjectStore checkpointObjects(AlertingProperties properties, StorageProperties storage) {
		return storage.create(properties.checkpoint().directory(), null);
	}

	@Bean
	AlertingMetrics alertingMetrics(MeterRegistry registry) {
		return new AlertingMetrics(registry, "aggregates");
	}

	/**
	 * Host names to addresses for the SSRF guard; a bean so that tests can resolve names
	 * they control without sending anything to them.
	 */
	@Bean
	Resolver webhookResolver() {
		return Resolver.SYSTEM;
	}

	/**
	 * The one SSRF guard: the subscriptions API checks a URL with it when it is set, the
	 * sender before every attempt.
	 */
	@Bean
	DeliveryTargetGuard deliveryTargetGuard(AlertingProperties properties, Resolver resolver) {
		AlertingProperties.Delivery delivery = properties.delivery();
		return new DeliveryTargetGuard(new TargetPolicy(delivery.allowHttp(), delivery.allowList()), resolver);
	}

	@Bean(destroyMethod = "close")
	DeliveryWorker deliveryWorker(AlertingProperties properties, DeliveryTargetGuard guard, SslBundles bundles) {
		AlertingProperties.Delivery delivery = properties.delivery();
		WebhookSender sender = WebhookSender.withDefaults(guard,
				new WebhookSender.Timeouts(delivery.connectTimeout(), delivery.responseTimeout()),
				ReceiverTrust.of(delivery.trustBundle(), bundles));
		return new DeliveryWorker(sender, delivery.threads());
	}

	@Bean(destroyMethod = "close")
	TaskWaker aggregatesWaker() {
		return new TaskWaker("alerting-aggregates-waker");
	}

	@Bean(destroyMethod = "close")
	TaskWaker readingsWaker() {
		return new TaskWaker("alerting-readings-waker");
	}

	@Bean
	AlertingOperator<WindowAggregate> aggregatesOperator(AlertingCatalog catalog, SensorTags sensorTags,
			AlertingProperties properties, AlertingMetrics metrics, DeliveryWorker worker, TaskWaker aggregatesWaker,
			RedeliveryInbox redeliveries,
			@Value("${spring.cloud.stream.bindings." + AGGREGATES_BINDING + ".destination}") String topic) {
		return AlertingOperator.ofAggregates(catalog, sensorTags, delivery(properties, topic),
				worker.channel(aggregatesWaker), redeliveries, metrics, Clock.systemUTC());
	}

	@Bean
	AlertingOperator<TelemetryEvent> readingsOperator(AlertingCatalog catalog, SensorTags sensorTags,
			AlertingProperties properties, MeterRegistry registry, DeliveryWorker worker, TaskWaker readingsWaker,
			RedeliveryInbox redeliveries,
			@Value("${spring.cloud.stream.bindings." + READINGS_BINDING + ".destination}") String topic) {
		return AlertingOperator.ofReadings(catalog, sensorTags, delivery(properties, topic),
				worker.channel(readingsWaker), redeliveries, new AlertingMetrics(registry, "readings"),
				Clock.systemUTC());
	}

	private static AlertingOperator.Delivery delivery(AlertingProperties properties, String topic) {
		AlertingProperties.Delivery delivery = properties.delivery();
		return new AlertingOperator.Delivery(new PayloadWriter(delivery.externalUrl(), delivery.source()),
				new RetrySchedule(delivery.retryDelays(), delivery.jitter()), delivery.disableAfter(), topic);
	}

	/** Both outboxes as one, for the gauges. */
	@Bean
	ActiveAlerts activeAlerts(List<AlertingOperator<?>> operators, AlertingMetrics metrics) {
		metrics.gauges(() -> operators.stream()
			.map(AlertingOperator::status)
			.reduce(new AlertingOperator.OutboxStatus(0, 0, 0), AlertingOperator.OutboxStatus::plus));
		return () -> operators.stream().flatMap((operator) -> operator.lifecycle().active().stream()).toList();
	}

	/**
	 * Checkpoints are filed under the consumer group and topic, so two pipelines reading
	 * different topics or groups from one store do not meet.
	 */
	@Bean
	StreamTask<WindowAggregate> aggregatesTask(AlertingProperties properties,
			AlertingOperator<WindowAggregate> aggregatesOperator, ObjectStore checkpointObjects, BindingOutputSink sink,
			AlertingMetrics metrics, TaskWaker aggregatesWaker,
			@Value("${spring.cloud.stream.bindings." + AGGREGATES_BINDING + ".group}") String group,
			@Value("${spring.cloud.stream.bindings." + AGGREGATES_BINDING + ".destination}") String topic) {
		StreamTask<WindowAggregate> task = task(settings(properties, topic), ContractDecoders.windowAggregates(),
				aggregatesOperator, checkpointObjects, sink, metrics, group, topic);
		aggregatesWaker.wakes(task);
		metrics.task("aggregates", task);
		return task;
	}

	@Bean
	StreamTask<TelemetryEvent> readingsTask(AlertingProperties properties,
			AlertingOperator<TelemetryEvent> readingsOperator, ObjectStore checkpointObjects, BindingOutputSink sink,
			AlertingMetrics metrics, TaskWaker readingsWaker,
			@Value("${spring.cloud.stream.bindings." + READINGS_BINDING + ".group}") String group,
			@Value("${spring.cloud.stream.bindings." + READINGS_BINDING + ".destination}") String topic) {
		// processing-service owns telemetry-raw and dead-letters its bad records already.
		StreamTask<TelemetryEvent> task = task(settings(properties, topic).skippingRejected(),
				ContractDecoders.telemetryEvents(), readingsOperator, checkpointObjects, sink, metrics, group, topic);
		readingsWaker.wakes(task);
		metrics.task("readings", task);
		return task;
	}

	private static StreamTask.Settings settings(AlertingProperties properties, String topic) {
		return new StreamTask.Settings(topic, properties.checkpoint().interval(),
				properties.checkpoint().deliveryTimeout());
	}

	private static <T> StreamTask<T> task(StreamTask.Settings settings, Decoder<T> decoder, Operator<T> operator,
			ObjectStore checkpointObjects, BindingOutputSink sink, AlertingMetrics metrics, String group,
			String topic) {
		// Two tasks, one sink each: a checkpoint waits for its own task's records only.
		return new StreamTask<>(settings, decoder, operator,
				new CheckpointStore(checkpointObjects, "alerting/" + group + "/" + topic), sink.forTask(), metrics,
				Clock.systemUTC());
	}

	@Bean
	Consumer<Message<?>> evaluateAggregates(StreamTask<WindowAggregate> aggregatesTask) {
		return TaskConsumers.batches(aggregatesTask);
	}

	@Bean
	Consumer<Message<?>> evaluateReadings(StreamTask<TelemetryEvent> readingsTask) {
		return TaskConsumers.batches(readingsTask);
	}

	@Bean
	TaskBinding aggregatesTaskBinding(StreamTask<WindowAggregate> aggregatesTask) {
		return new TaskBinding(AGGREGATES_BINDING, aggregatesTask);
	}

	@Bean
	TaskBinding readingsTaskBinding(StreamTask<TelemetryEvent> readingsTask) {
		return new TaskBinding(READINGS_BINDING, readingsTask);
	}

}
