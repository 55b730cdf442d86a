package io.millrace.processing.pipeline;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import org.springframework.cloud.stream.binder.BinderCustomizer;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.config.ProducerMessageHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.kafka.outbound.KafkaProducerMessageHandler;

/**
 * What the pipeline needs from the Kafka binder and only it offers: the future of every
 * send (so a checkpoint knows its records were delivered) and partition assignment
 * callbacks (so a partition's state is restored and its position set before its records
 * arrive, and checkpointed before it moves to another instance). The Event Hubs binder
 * sends synchronously and has no rebalance callbacks; the pipeline then loads a
 * partition's checkpoint when it first sees the partition and skips records below it.
 */
@Configuration(proxyBeanMethods = false)
class KafkaBinderAdapter {

	/**
	 * Customizes the Kafka binder directly: with two binders on the classpath, binder
	 * contexts do not see the application's customizer and listener beans.
	 */
	@Bean
	BinderCustomizer kafkaBinderCustomizer(OutputSender sender, KafkaBindingRebalanceListener partitionHandover) {
		DirectChannel futures = new DirectChannel();
		futures.subscribe((message) -> {
			if (message.getPayload() instanceof CompletableFuture<?> future) {
				sender.track(future);
			}
		});
		ProducerMessageHandlerCustomizer<KafkaProducerMessageHandler<?, ?>> sendFutures = (handler,
				destination) -> handler.setFuturesChannel(futures);
		return (binder, name) -> {
			if (binder instanceof KafkaMessageChannelBinder kafka) {
				kafka.setProducerMessageHandlerCustomizer(sendFutures);
				kafka.setRebalanceListener(partitionHandover);
			}
		};
	}

	@Bean
	KafkaBindingRebalanceListener partitionHandover(TelemetryPipeline pipeline) {
		return new KafkaBindingRebalanceListener() {

			@Override
			public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer,
					Collection<TopicPartition> partitions, boolean initial) {
				Map<String, Long> positions = pipeline
					.assigned(partitions.stream().map((partition) -> String.valueOf(partition.partition())).toList());
				for (TopicPartition partition : partitions) {
					Long next = positions.get(String.valueOf(partition.partition()));
					if (next != null) {
						consumer.seek(partition, next);
					}
				}
			}

			@Override
			public void onPartitionsRevokedBeforeCommit(String bindingName, Consumer<?, ?> consumer,
					Collection<TopicPartition> partitions) {
				pipeline
					.revoked(partitions.stream().map((partition) -> String.valueOf(partition.partition())).toList());
			}

		};
	}

}
