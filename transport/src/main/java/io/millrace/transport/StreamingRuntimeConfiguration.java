package io.millrace.transport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.runtime.task.InputTask;
import io.millrace.transport.health.StreamingHealth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The streaming runtime's Spring wiring, on when a service declares {@link TaskBinding}
 * beans: one output sink for every task, the binder hooks (direct sends, partition
 * hand-over), the processing-time timer that ticks every task, and the {@code streaming}
 * health component (down while a task's input is held on a failing batch).
 */
@AutoConfiguration
@ConditionalOnBean(TaskBinding.class)
@EnableScheduling
public class StreamingRuntimeConfiguration {

	@Bean
	BindingOutputSink runtimeOutputSink(ObjectProvider<StreamBridge> bridge, BindingServiceProperties bindings) {
		return new BindingOutputSink(bridge, bindings);
	}

	@Bean
	KafkaBinderHooks runtimeBinderHooks(BindingOutputSink sink, List<TaskBinding> tasks) {
		Map<String, InputTask> byBinding = new LinkedHashMap<>();
		tasks.forEach((binding) -> byBinding.put(binding.inputBinding(), binding.task()));
		return RuntimeBinderHooks.hooks(sink, byBinding);
	}

	@Bean
	StreamingHealth streamingHealthIndicator(List<TaskBinding> tasks) {
		return new StreamingHealth(tasks);
	}

	@Bean
	TaskTicker runtimeTaskTicker(List<TaskBinding> tasks) {
		return new TaskTicker(tasks);
	}

	/**
	 * Ticks every task so that what is due by processing time (idle partitions, early
	 * results, checkpoints) does not wait for records.
	 */
	static final class TaskTicker {

		private final List<TaskBinding> tasks;

		TaskTicker(List<TaskBinding> tasks) {
			this.tasks = tasks;
		}

		@Scheduled(fixedDelayString = "${millrace.runtime.tick-interval:1s}")
		void tick() {
			this.tasks.forEach((binding) -> binding.task().tick());
		}

	}

}
