package io.millrace.alerting.catalog;

import java.time.Instant;
import java.util.List;

import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.Silence;

/**
 * What alerting evaluates and whom it notifies: the rules, silences and webhook
 * subscriptions, as the API (and configuration at start) define them. The pipeline reads
 * {@link #current()} on every batch and tick, so a change made on any replica reaches
 * every replica's evaluation without a restart.
 */
public interface AlertingCatalog {

	/**
	 * The definitions as last loaded; never blocks (no storage call).
	 * @return the snapshot
	 */
	Snapshot current();

	/**
	 * Record, durably and for every replica, that a subscription no longer receives
	 * notifications (its receiver answered 410 Gone, or failed for longer than allowed).
	 * Asynchronous: returns at once, the write is retried until it lands.
	 * @param id the subscription
	 * @param reason why, for the API and the logs
	 * @param at when
	 */
	void disableSubscription(String id, String reason, Instant at);

	/**
	 * The definitions at one moment.
	 *
	 * @param version grows whenever anything in the snapshot changes, so a reader
	 * rebuilds what it derives only then
	 * @param rules the rules, each valid
	 * @param subscriptions the subscriptions, disabled ones included
	 * @param silences the silences, expired ones included
	 */
	record Snapshot(long version, List<Rule> rules, List<Subscription> subscriptions, List<Silence> silences) {

		public Snapshot {
			rules = List.copyOf(rules);
			subscriptions = List.copyOf(subscriptions);
			silences = List.copyOf(silences);
		}

	}

}
