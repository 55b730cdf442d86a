package io.millrace.alerting.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outbox's entries by subscription, earliest due first, so that choosing what to
 * attempt next costs one look per subscription, not a walk over every waiting
 * notification: after a long receiver outage the outbox can hold many thousands, and the
 * task looks after every delivery result. In memory only; the outbox is the state, this
 * is rebuilt from it.
 */
final class DueIndex {

	private static final Comparator<Due> ORDER = Comparator.comparingLong(Due::at).thenComparingLong(Due::seq);

	private final Map<String, TreeSet<Due>> bySubscription = new TreeMap<>();

	private final Map<String, Due> byEntry = new HashMap<>();

	private long seq;

	/**
	 * Add an entry, or move it to its new due time.
	 * @param partition its partition
	 * @param entry the entry
	 */
	void put(String partition, OutboxEntry entry) {
		remove(partition, entry.key());
		Due due = new Due(entry.nextAttemptAt(), this.seq++, partition, entry.key(), entry.subscriptionId());
		this.byEntry.put(id(partition, entry.key()), due);
		this.bySubscription.computeIfAbsent(entry.subscriptionId(), (id) -> new TreeSet<>(ORDER)).add(due);
	}

	/**
	 * Forget an entry.
	 * @param partition its partition
	 * @param entryKey the entry
	 */
	void remove(String partition, String entryKey) {
		Due due = this.byEntry.remove(id(partition, entryKey));
		if (due != null) {
			TreeSet<Due> queue = this.bySubscription.get(due.subscriptionId());
			queue.remove(due);
			if (queue.isEmpty()) {
				this.bySubscription.remove(due.subscriptionId());
			}
		}
	}

	/**
	 * The subscriptions with entries waiting.
	 * @return their ids
	 */
	Set<String> subscriptions() {
		return this.bySubscription.keySet();
	}

	/**
	 * The earliest due entry of a subscription.
	 * @param subscriptionId the subscription
	 * @return it, or null when none waits
	 */
	Due first(String subscriptionId) {
		TreeSet<Due> queue = this.bySubscription.get(subscriptionId);
		return (queue != null) ? queue.first() : null;
	}

	/**
	 * Every entry of a subscription.
	 * @param subscriptionId the subscription
	 * @return them, earliest due first
	 */
	List<Due> all(String subscriptionId) {
		return new ArrayList<>(this.bySubscription.getOrDefault(subscriptionId, new TreeSet<>(ORDER)));
	}

	private static String id(String partition, String entryKey) {
		return partition + "\u0000" + entryKey;
	}

	/**
	 * One waiting entry.
	 *
	 * @param at when it is due, epoch milliseconds
	 * @param seq insertion order among entries due at once
	 * @param partition its partition
	 * @param entryKey its key in the partition's outbox
	 * @param subscriptionId its subscription
	 */
	record Due(long at, long seq, String partition, String entryKey, String subscriptionId) {
	}

}
