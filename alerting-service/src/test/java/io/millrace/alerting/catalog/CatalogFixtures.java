package io.millrace.alerting.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.model.json.MillraceJson;
import io.millrace.storage.ObjectStore;

/** Rules, subscriptions and catalogs for the catalog's tests. */
final class CatalogFixtures {

	/** Long enough that only the test refreshes. */
	static final Duration MANUAL = Duration.ofHours(1);

	private CatalogFixtures() {
	}

	static Rule rule(String id, double threshold) {
		try {
			return MillraceJson.mapper()
				.readValue(
						"{\"id\":\"" + id + "\",\"kind\":\"threshold\",\"metric\":\"temperature\","
								+ "\"statistic\":\"max\",\"operator\":\">\",\"threshold\":" + threshold + "}",
						Rule.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Subscription configured(String id) {
		return Subscription.of(id, URI.create("https://hooks.example.com/" + id), PayloadFormat.MILLRACE_JSON,
				WebhookSecret.generate(), Map.of(), SubscriptionFilters.none());
	}

	static SubscriptionDocument stored(String id) {
		return new SubscriptionDocument(id, URI.create("https://hooks.example.com/" + id), "cloudevents",
				WebhookSecret.generate().value(), null, null, Map.of(), null, null, null, null);
	}

	/** A started catalog: one replica. */
	static StoredCatalog replica(ObjectStore store, List<Rule> seeds, List<Subscription> configured) {
		return replica(store, seeds, configured, SecretSealing.none());
	}

	/** A started catalog that seals secrets. */
	static StoredCatalog replica(ObjectStore store, List<Rule> seeds, List<Subscription> configured,
			SecretSealing sealing) {
		StoredCatalog catalog = new StoredCatalog(store, seeds, configured, sealing, Clock.systemUTC());
		catalog.start(MANUAL);
		return catalog;
	}

	static List<String> ruleIds(StoredCatalog catalog) {
		return catalog.current().rules().stream().map(Rule::id).toList();
	}

	static Subscription subscription(StoredCatalog catalog, String id) {
		return catalog.current().subscriptions().stream().filter((s) -> s.id().equals(id)).findFirst().orElseThrow();
	}

}
