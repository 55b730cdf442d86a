package io.millrace.alerting.deliverylog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Redelivery requests read from the delivery log, waiting for the task whose outbox they
 * go to: every instance reads every request, and only the instance that owns the
 * notification's input partition acts on it (once: the handled requests are operator
 * state, checkpointed).
 */
public final class RedeliveryInbox {

	private final Map<String, Queue<DeliveryRecord>> byInput = new ConcurrentHashMap<>();

	/**
	 * A request arrived.
	 * @param request a {@code redelivery-requested} record
	 */
	public void offer(DeliveryRecord request) {
		this.byInput.computeIfAbsent(request.input(), (input) -> new ConcurrentLinkedQueue<>()).add(request);
	}

	/**
	 * Take the requests for one task.
	 * @param input the task's input ({@code aggregates}, {@code readings})
	 * @return the requests that arrived since the last call
	 */
	public List<DeliveryRecord> drain(String input) {
		List<DeliveryRecord> drained = new ArrayList<>();
		Queue<DeliveryRecord> queue = this.byInput.get(input);
		DeliveryRecord request;
		while (queue != null && (request = queue.poll()) != null) {
			drained.add(request);
		}
		return drained;
	}

}
