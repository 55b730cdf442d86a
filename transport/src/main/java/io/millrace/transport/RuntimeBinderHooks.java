package io.millrace.transport;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.millrace.runtime.task.InputTask;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.integration.channel.DirectChannel;

/**
 * What the streaming runtime needs from the Kafka binder and only it offers: the binder's
 * own producer for each output, to send records directly and get each send's future (so a
 * checkpoint knows its records were delivered), and partition assignment callbacks (so a
 * partition's state is restored and its position set before its records arrive, and
 * checkpointed before it moves to another instance). The Event Hubs binder sends
 * synchronously and has no rebalance callbacks; a task then loads a partition's
 * checkpoint when it first sees the partition and skips records below it.
 */
public final class RuntimeBinderHooks {

	private static final Logger logger = LoggerFactory.getLogger(RuntimeBinderHooks.class);

	private RuntimeBinderHooks() {
	}

	/**
	 * The hooks to register on the Kafka binder (as a bean:
	 * {@code BinderHooksConfiguration} makes it the binder customizer).
	 * @param sink where the tasks' records go
	 * @param tasks the task fed by each input binding, by binding name
	 * @return the hooks
	 */
	public static KafkaBinderHooks hooks(BindingOutputSink sink, Map<String, InputTask> tasks) {
		DirectChannel futures = new DirectChannel();
		futures.subscribe((message) -> {
			if (message.getPayload() instanceof CompletableFuture<?> future) {
				sink.track(future);
			}
		});
		return new KafkaBinderHooks((handler, destination, direct) -> {
			handler.setFuturesChannel(futures);
			if (direct != null) {
				sink.sendDirectly(destination,
						(record) -> direct.send(record.key(), record.payload(), record.headers()));
				logger.info("Records for {} go to the Kafka binder's producer directly", destination);
			}
			else {
				logger.info("Records for {} go through the output binding (not a byte-array producer)", destination);
			}
		}, new PartitionHandover(tasks));
	}

	/** Restores and seeks on assignment, checkpoints on revocation. */
	private static final class PartitionHandover implements KafkaBindingRebalanceListener {

		private final Map<String, InputTask> tasks;

		PartitionHandover(Map<String, InputTask> tasks) {
			this.tasks = tasks;
		}

		@Override
		public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer,
				Collection<TopicPartition> partitions, boolean initial) {
			InputTask task = this.tasks.get(bindingName);
			if (task == null) {
				return;
			}
			Map<String, Long> positions = task
				.assigned(partitions.stream().map((partition) -> String.valueOf(partition.partition())).toList());
			Map<TopicPartition, OffsetAndMetadata> restored = new HashMap<>();
			for (TopicPartition partition : partitions) {
				Long next = positions.get(String.valueOf(partition.partition()));
				if (next != null) {
					consumer.seek(partition, next);
					restored.put(partition, new OffsetAndMetadata(next));
				}
			}
			// The committed offset may lag the checkpoint (a crash between the two); a
			// partition with no new records would otherwise show that lag forever.
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
			InputTask task = this.tasks.get(bindingName);
			if (task != null) {
				task.revoked(partitions.stream().map((partition) -> String.valueOf(partition.partition())).toList());
			}
		}

	}

}
