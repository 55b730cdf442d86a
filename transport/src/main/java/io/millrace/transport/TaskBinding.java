package io.millrace.transport;

import io.millrace.runtime.task.InputTask;

/**
 * A streaming-runtime task (a {@code StreamTask}, or another {@link InputTask} such as a
 * table sink) and the input binding that feeds it. A service declares one bean per task,
 * plus the binding's consumer function ({@link TaskConsumers#batches}); the runtime's
 * wiring ({@link StreamingRuntimeConfiguration}) does the rest.
 *
 * @param inputBinding the input binding name, for example {@code processTelemetry-in-0}
 * @param task the task
 */
public record TaskBinding(String inputBinding, InputTask task) {
}
