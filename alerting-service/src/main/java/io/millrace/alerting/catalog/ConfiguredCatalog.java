package io.millrace.alerting.catalog;

import java.time.Instant;
import java.util.List;

import io.millrace.alerting.AlertingProperties;
import io.millrace.alerting.lifecycle.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog of what configuration defines, and nothing else: no API, nothing stored.
 * Disabling a subscription lasts until the next start.
 */
public final class ConfiguredCatalog implements AlertingCatalog {

	private static final Logger logger = LoggerFactory.getLogger(ConfiguredCatalog.class);

	private volatile Snapshot snapshot;

	/**
	 * @param rules the rules
	 * @param subscriptions the subscriptions
	 */
	public ConfiguredCatalog(List<Rule> rules, List<Subscription> subscriptions) {
		this.snapshot = new Snapshot(1, rules, subscriptions, List.of());
	}

	/**
	 * @param properties the configuration
	 * @return its rules and subscriptions
	 */
	public static ConfiguredCatalog of(AlertingProperties properties) {
		return new ConfiguredCatalog(ConfiguredDefinitions.rules(properties),
				ConfiguredDefinitions.subscriptions(properties));
	}

	@Override
	public Snapshot current() {
		return this.snapshot;
	}

	@Override
	public synchronized void disableSubscription(String id, String reason, Instant at) {
		Snapshot current = this.snapshot;
		List<Subscription> subscriptions = current.subscriptions()
			.stream()
			.map((s) -> (s.id().equals(id) && s.enabled()) ? s.disabled(at, reason) : s)
			.toList();
		logger.error("Subscription {} is disabled: {}", id, reason);
		this.snapshot = new Snapshot(current.version() + 1, current.rules(), subscriptions, current.silences());
	}

}
