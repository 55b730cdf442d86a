package io.millrace.runtime.task;

import java.util.List;

/**
 * A batch of records as a transport adapter delivers it.
 *
 * @param payloads the record payloads
 * @param partitions the input partition of each record
 * @param offsets the offset (Kafka) or sequence number (Event Hubs) of each record, or
 * {@code -1} when the transport does not say
 * @param commit commits the consumer position past the whole batch; the runtime runs it
 * only once a checkpoint covers the batch
 */
public record InputBatch(List<byte[]> payloads, List<String> partitions, List<Long> offsets, Runnable commit) {

	public int size() {
		return this.payloads.size();
	}

}
