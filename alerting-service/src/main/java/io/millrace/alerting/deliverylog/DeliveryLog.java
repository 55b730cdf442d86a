package io.millrace.alerting.deliverylog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery log as this instance has read it from {@code alerting-deliveries}: every
 * instance reads the whole topic, so any replica answers for every notification. Bounded:
 * past {@code maxEntries} the oldest notifications are forgotten (the topic keeps them
 * for its retention).
 */
public final class DeliveryLog {

	static final int HISTORY = 20;

	private final int maxEntries;

	private final Map<String, Delivery> deliveries = new LinkedHashMap<>();

	/**
	 * @param maxEntries how many deliveries are kept
	 */
	public DeliveryLog(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * Apply one record of the topic.
	 * @param record the record
	 */
	public synchronized void apply(DeliveryRecord record) {
		String key = key(record.notificationId(), record.subscriptionId());
		Delivery current = this.deliveries.get(key);
		if (record.status() == DeliveryRecord.Status.PENDING) {
			if (current == null || current.createdAt() == null) {
				this.deliveries.put(key,
						new Delivery(record.notificationId(), record.subscriptionId(), record.alertId(),
								record.ruleId(), record.fingerprint(), record.sensorId(), record.alertStatus(),
								DeliveryRecord.Status.PENDING, record.attempts(), record.at(), record.at(), null,
								List.of(), null, record.input(), record.partition(), record.body()));
			}
			else {
				// A redelivery started again from the outbox: attempts count afresh.
				this.deliveries.put(key, with(current, DeliveryRecord.Status.PENDING, 0, record.at(), null, null));
			}
			evict();
			return;
		}
		if (current == null) {
			// Its pending record is older than what this instance read (or was evicted).
			return;
		}
		if (record.status() == DeliveryRecord.Status.REDELIVERY_REQUESTED) {
			this.deliveries.put(key, new Delivery(current.notificationId(), current.subscriptionId(), current.alertId(),
					current.ruleId(), current.fingerprint(), current.sensorId(), current.alertStatus(),
					current.status(), current.attempts(), current.createdAt(), record.at(), current.nextAttemptAt(),
					current.history(), record.at(), current.input(), current.partition(), current.body()));
			return;
		}
		Delivery.Attempt attempt = new Delivery.Attempt(record.at(), record.status(), record.statusCode(),
				record.latencyMillis(), record.detail());
		this.deliveries.put(key,
				with(current, record.status(), record.attempts(), record.at(), record.nextAttemptAt(), attempt));
	}

	private static Delivery with(Delivery current, DeliveryRecord.Status status, int attempts, Instant at,
			Instant nextAttemptAt, Delivery.Attempt attempt) {
		List<Delivery.Attempt> history = new ArrayList<>(current.history());
		if (attempt != null) {
			history.add(attempt);
			if (history.size() > HISTORY) {
				history.remove(0);
			}
		}
		return new Delivery(current.notificationId(), current.subscriptionId(), current.alertId(), current.ruleId(),
				current.fingerprint(), current.sensorId(), current.alertStatus(), status, attempts, current.createdAt(),
				at, nextAttemptAt, List.copyOf(history), current.redeliveryRequestedAt(), current.input(),
				current.partition(), current.body());
	}

	private void evict() {
		Iterator<Delivery> oldest = this.deliveries.values().iterator();
		while (this.deliveries.size() > this.maxEntries && oldest.hasNext()) {
			oldest.next();
			oldest.remove();
		}
	}

	/**
	 * The deliveries of one notification, one per subscription.
	 * @param notificationId the {@code webhook-id}
	 * @return them
	 */
	public synchronized List<Delivery> of(String notificationId) {
		return this.deliveries.values()
			.stream()
			.filter((delivery) -> delivery.notificationId().equals(notificationId))
			.toList();
	}

	/**
	 * One delivery.
	 * @param notificationId the {@code webhook-id}
	 * @param subscriptionId the subscription
	 * @return it, when known
	 */
	public synchronized Optional<Delivery> get(String notificationId, String subscriptionId) {
		return Optional.ofNullable(this.deliveries.get(key(notificationId, subscriptionId)));
	}

	/**
	 * Deliveries that pass a filter, newest first.
	 * @param filter the filter
	 * @return at most {@code filter.limit()} of them
	 */
	public synchronized List<Delivery> find(Filter filter) {
		return this.deliveries.values()
			.stream()
			.filter(filter::accepts)
			.sorted(Comparator.comparing(Delivery::createdAt).reversed())
			.limit(filter.limit())
			.toList();
	}

	private static String key(String notificationId, String subscriptionId) {
		return notificationId + " " + subscriptionId;
	}

	/**
	 * Which deliveries to list.
	 *
	 * @param subscriptionId only this subscription's, when set
	 * @param status only in this state, when set
	 * @param ruleId only this rule's, when set
	 * @param from only made at or after, when set
	 * @param to only made before, when set
	 * @param limit at most this many
	 */
	public record Filter(String subscriptionId, DeliveryRecord.Status status, String ruleId, Instant from, Instant to,
			int limit) {

		boolean accepts(Delivery delivery) {
			return (this.subscriptionId == null || this.subscriptionId.equals(delivery.subscriptionId()))
					&& (this.status == null || this.status == delivery.status())
					&& (this.ruleId == null || this.ruleId.equals(delivery.ruleId()))
					&& (this.from == null || !delivery.createdAt().isBefore(this.from))
					&& (this.to == null || delivery.createdAt().isBefore(this.to));
		}

	}

}
