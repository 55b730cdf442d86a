package io.millrace.transport;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.messaging.Message;

/**
 * Whether a consumer that reads its input from the beginning (a view rebuilt from a
 * topic) has caught up with what the topic held when it started: on the first assignment
 * the Kafka binder reports, the end offset of each assigned partition is noted, and each
 * consumed message ({@link #seen(Message)}) moves its partition towards it. Caught up
 * once every partition has reached its noted end (an empty partition at once).
 * <p>
 * Only the Kafka binder reports assignments; with another binder
 * {@link #positionsKnown()} stays false and the service needs another rule.
 * <p>
 * Register {@link #hooks()} as the service's {@link KafkaBinderHooks} bean, or
 * {@link #hooks(List)} when several views are rebuilt.
 */
public final class StartupCatchUp {

	private static final Logger logger = LoggerFactory.getLogger(StartupCatchUp.class);

	private final String binding;

	private final Map<Integer, Long> remaining = new ConcurrentHashMap<>();

	private volatile boolean positionsKnown;

	/**
	 * @param binding the input binding to follow, for example
	 * {@code receiveAggregates-in-0}
	 */
	public StartupCatchUp(String binding) {
		this.binding = binding;
	}

	/**
	 * @return the hooks that report the binding's first assignment to this object
	 */
	public KafkaBinderHooks hooks() {
		return hooks(List.of(this));
	}

	/**
	 * @param catchUps the catch-ups of a service's views, one binding each
	 * @return the hooks that report each binding's first assignment to its catch-up (a
	 * service has one set of binder hooks)
	 */
	public static KafkaBinderHooks hooks(List<StartupCatchUp> catchUps) {
		List<StartupCatchUp> all = List.copyOf(catchUps);
		return new KafkaBinderHooks(null, new KafkaBindingRebalanceListener() {

			@Override
			public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer,
					Collection<TopicPartition> partitions, boolean initial) {
				for (StartupCatchUp catchUp : all) {
					if (catchUp.binding.equals(bindingName) && !catchUp.positionsKnown) {
						catchUp.assigned(consumer, partitions);
					}
				}
			}

		});
	}

	/**
	 * Note a consumed message of the binding (valid or not).
	 * @param message the message
	 */
	public void seen(Message<?> message) {
		if (this.remaining.isEmpty()) {
			return;
		}
		long offset = InboundMessages.offset(message);
		String partition = InboundMessages.partition(message);
		if (offset < 0 || InboundMessages.UNKNOWN.equals(partition)) {
			return;
		}
		this.remaining.computeIfPresent(Integer.valueOf(partition), (p, end) -> (offset + 1 >= end) ? null : end);
	}

	/**
	 * @return whether the binder reported the binding's partitions and their end offsets
	 */
	public boolean positionsKnown() {
		return this.positionsKnown;
	}

	/**
	 * @return whether every partition has been read up to where it ended at the first
	 * assignment
	 */
	public boolean isCaughtUp() {
		return this.positionsKnown && this.remaining.isEmpty();
	}

	/**
	 * @return the end offset still to reach, by partition
	 */
	public Map<Integer, Long> remaining() {
		return new TreeMap<>(this.remaining);
	}

	private void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
		for (TopicPartition partition : partitions) {
			long end = ends.getOrDefault(partition, 0L);
			long position = consumer.position(partition);
			if (position < end) {
				this.remaining.put(partition.partition(), end);
			}
		}
		this.positionsKnown = true;
		logger.info("{}: reading {} partition(s) up to their end offsets {} before the view is complete", this.binding,
				partitions.size(), remaining());
	}

}
