package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.millrace.processing.checkpoint.PendingRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.TopicPartition;

import org.springframework.cloud.stream.binder.BinderCustomizer;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.config.ProducerMessageHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.kafka.outbound.KafkaProducerMessageHandler;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.messaging.MessageHeaders;

/**
 * What the pipeline needs from the Kafka binder and only it offers: the binder's own
 * producer for each output, to send records directly and get each send's future (so a
 * checkpoint knows its records were delivered), and partition assignment callbacks (so a
 * partition's state is restored and its position set before its records arrive, and
 * checkpointed before it moves to another instance). The Event Hubs binder sends
 * synchronously and has no rebalance callbacks; the pipeline then loads a partition's
 * checkpoint when it first sees the partition and skips records below it.
 */
@Configuration(proxyBeanMethods = false)
class KafkaBinderAdapter {

	private static final Logger logger = LoggerFactory.getLogger(KafkaBinderAdapter.class);

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
		ProducerMessageHandlerCustomizer<KafkaProducerMessageHandler<?, ?>> sendFutures = (handler, destination) -> {
			handler.setFuturesChannel(futures);
			if (writesBytes(handler.getKafkaTemplate().getProducerFactory())) {
				@SuppressWarnings("unchecked")
				KafkaTemplate<byte[], byte[]> template = (KafkaTemplate<byte[], byte[]>) handler.getKafkaTemplate();
				sender.sendDirectly(destination, (record) -> template.send(producerRecord(destination, record)));
				logger.info("Records for {} go to the Kafka binder's producer directly", destination);
			}
			else {
				logger.info("Records for {} go through the output binding (not a byte-array producer)", destination);
			}
		};
		return (binder, name) -> {
			if (binder instanceof KafkaMessageChannelBinder kafka) {
				kafka.setProducerMessageHandlerCustomizer(sendFutures);
				kafka.setRebalanceListener(partitionHandover);
			}
		};
	}

	private static boolean writesBytes(ProducerFactory<?, ?> factory) {
		Object key = factory.getConfigurationProperties().get(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
		Object value = factory.getConfigurationProperties().get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
		return isByteArraySerializer(key) && isByteArraySerializer(value);
	}

	private static boolean isByteArraySerializer(Object configured) {
		return configured == ByteArraySerializer.class || ByteArraySerializer.class.getName().equals(configured);
	}

	/**
	 * The record as the binder would write it: key and value bytes, the headers as UTF-8
	 * bytes. The content type is left out, as consumers of these topics assume JSON.
	 */
	static ProducerRecord<byte[], byte[]> producerRecord(String topic, PendingRecord record) {
		List<Header> headers = new ArrayList<>();
		record.headers().forEach((name, value) -> {
			if (!name.equals(MessageHeaders.CONTENT_TYPE)) {
				headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
			}
		});
		byte[] key = (record.key() != null) ? record.key().getBytes(StandardCharsets.UTF_8) : null;
		return new ProducerRecord<>(topic, null, key, record.payload(), headers);
	}

	@Bean
	KafkaBindingRebalanceListener partitionHandover(TelemetryPipeline pipeline) {
		return new KafkaBindingRebalanceListener() {

			@Override
			public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer,
					Collection<TopicPartition> partitions, boolean initial) {
				Map<String, Long> positions = pipeline
					.assigned(partitions.stream().map((partition) -> String.valueOf(partition.partition())).toList());
				Map<TopicPartition, OffsetAndMetadata> restored = new HashMap<>();
				for (TopicPartition partition : partitions) {
					Long next = positions.get(String.valueOf(partition.partition()));
					if (next != null) {
						consumer.seek(partition, next);
						restored.put(partition, new OffsetAndMetadata(next));
					}
				}
				// The committed offset may lag the checkpoint (a crash between the two);
				// a partition with no new records would otherwise show that lag forever.
				try {
					consumer.commitSync(restored);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not commit the restored positions {}; the next checkpoint will", restored, ex);
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
