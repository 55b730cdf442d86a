package io.millrace.transport;

import java.util.function.Consumer;

import io.millrace.runtime.task.InputTask;

import org.springframework.messaging.Message;

/** Streaming-runtime tasks as Spring Cloud Stream consumer functions. */
public final class TaskConsumers {

	private TaskConsumers() {
	}

	/**
	 * A batch-mode consumer feeding a task. Typed {@code Message<?>} on purpose: for a
	 * typed batch the function layer converts every record on its own (a message per
	 * record), which cost more than all of the processing; the bytes need no conversion.
	 * @param task the task
	 * @return the consumer, to register as the binding's function bean
	 */
	public static Consumer<Message<?>> batches(InputTask task) {
		return (message) -> task.acceptUntilDone(BinderBatches.of(message), (pause) -> Thread.sleep(pause.toMillis()));
	}

}
