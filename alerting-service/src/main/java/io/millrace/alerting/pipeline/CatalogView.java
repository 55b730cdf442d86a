package io.millrace.alerting.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.alerting.catalog.AlertingCatalog;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.lifecycle.AlertLifecycle;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.Silences;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;

/**
 * What one operator derives from the catalog (rules handed to its engine, subscriptions
 * and silences by id), rebuilt only when the catalog's version changes, so reading it on
 * every record costs one volatile read.
 */
final class CatalogView {

	private final AlertingCatalog catalog;

	private long version = Long.MIN_VALUE;

	private Map<String, Rule> rules = Map.of();

	private Map<String, Subscription> subscriptions = Map.of();

	private final Silences silences = new Silences();

	CatalogView(AlertingCatalog catalog) {
		this.catalog = catalog;
	}

	/**
	 * Catch up with the catalog, handing changed rules to the engine.
	 * @param lifecycle the engine
	 */
	void refresh(AlertLifecycle lifecycle) {
		AlertingCatalog.Snapshot snapshot = this.catalog.current();
		if (snapshot.version() == this.version) {
			return;
		}
		Map<String, Rule> rules = new LinkedHashMap<>();
		snapshot.rules().forEach((rule) -> rules.put(rule.id(), rule));
		Map<String, Subscription> subscriptions = new LinkedHashMap<>();
		snapshot.subscriptions().forEach((subscription) -> subscriptions.put(subscription.id(), subscription));
		lifecycle.replaceRules(snapshot.rules());
		this.silences.replaceAll(snapshot.silences());
		this.rules = rules;
		this.subscriptions = subscriptions;
		this.version = snapshot.version();
	}

	/**
	 * Whether a transition is notified at all: resolved ones only when the rule says so
	 * (a rule that is gone notifies its last resolve).
	 */
	boolean notifies(AlertEvent alert) {
		if (alert.status() == AlertStatus.FIRING) {
			return true;
		}
		Rule rule = this.rules.get(alert.ruleId());
		return rule == null || rule.notifyResolved();
	}

	/** The active silences that cover an alert now. */
	List<String> silencing(AlertEvent alert, Instant now) {
		return this.silences.silencing((alert.labels() != null) ? alert.labels() : Map.of(), now);
	}

	/** The enabled subscriptions an alert goes to. */
	List<Subscription> recipients(AlertEvent alert) {
		return this.subscriptions.values()
			.stream()
			.filter((subscription) -> subscription.enabled() && subscription.matches(alert))
			.toList();
	}

	Subscription subscription(String id) {
		return this.subscriptions.get(id);
	}

}
