package io.millrace.alerting.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.RuleValidator;
import io.millrace.alerting.lifecycle.Silence;
import io.millrace.alerting.lifecycle.SilenceValidator;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog kept in the storage port ({@link CatalogDocuments}), shared by every
 * replica. {@link #current()} hands out a snapshot held in memory, refreshed on a
 * schedule and right after each write made here, so the pipeline never waits for storage;
 * while storage is down the last snapshot keeps being served and {@link #age()} grows.
 * <p>
 * Configuration still has its say: configured rules are created at start when no rule
 * with their id is stored (create-if-absent, so replicas starting together agree), and
 * configured subscriptions stay configuration, with only their disabled state stored.
 */
public final class StoredCatalog implements AlertingCatalog, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StoredCatalog.class);

	private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

	private static final Duration LAST_RETRY = Duration.ofMinutes(1);

	private final CatalogDocuments documents;

	private final List<Rule> seeds;

	private final Map<String, Subscription> configured = new LinkedHashMap<>();

	private final Clock clock;

	/**
	 * Refreshes and disable writes, one at a time: neither runs on the caller's thread
	 * (the pipeline's), and a disable retried for minutes delays nothing else.
	 */
	private final ScheduledExecutorService background;

	private final Object refreshLock = new Object();

	private final Set<String> reportedBroken = new HashSet<>();

	private volatile Snapshot snapshot;

	private volatile Instant lastRefresh;

	/**
	 * The objects the snapshot was made of, {@code null} until the first refresh; the
	 * next refresh reads only what changed.
	 */
	private Map<String, StoredObject> loaded;

	private boolean seeded;

	private boolean failing;

	/**
	 * @param store the store ({@code alerting/catalog/} in it is the catalog's)
	 * @param seeds the configured rules, created when absent
	 * @param configured the configured subscriptions
	 * @param sealing encrypts the subscriptions' secrets in the store
	 * @param clock the clock
	 */
	public StoredCatalog(ObjectStore store, List<Rule> seeds, List<Subscription> configured, SecretSealing sealing,
			Clock clock) {
		this.documents = new CatalogDocuments(store, this::refreshQuietly, sealing);
		this.seeds = List.copyOf(seeds);
		configured.forEach((subscription) -> this.configured.put(subscription.id(), subscription));
		this.clock = clock;
		this.lastRefresh = clock.instant();
		// Until storage answers, what configuration says: alerts still work.
		this.snapshot = new Snapshot(1, seeds, configured, List.of());
		this.background = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "alerting-catalog");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Load now (seeding first), then every interval. A failure here does not fail the
	 * start: the next refresh tries again.
	 * @param interval how often to refresh
	 */
	public void start(Duration interval) {
		refreshQuietly();
		this.background.scheduleWithFixedDelay(this::refreshQuietly, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public Snapshot current() {
		return this.snapshot;
	}

	/**
	 * The documents, for the API; a write through them shows in {@link #current()} when
	 * it returns.
	 * @return the documents
	 */
	public CatalogDocuments documents() {
		return this.documents;
	}

	/**
	 * A subscription that configuration defines, as now (disabled or not).
	 * @param id its id
	 * @return it, empty when configuration defines none with this id
	 */
	public Optional<Subscription> configuredSubscription(String id) {
		if (!this.configured.containsKey(id)) {
			return Optional.empty();
		}
		return this.snapshot.subscriptions().stream().filter((s) -> s.id().equals(id)).findFirst();
	}

	/**
	 * The subscriptions that configuration defines, as now.
	 * @return them
	 */
	public List<Subscription> configuredSubscriptions() {
		return this.snapshot.subscriptions().stream().filter((s) -> this.configured.containsKey(s.id())).toList();
	}

	/**
	 * How long ago the catalog was last read from storage.
	 * @return the age
	 */
	public Duration age() {
		return Duration.between(this.lastRefresh, this.clock.instant());
	}

	@Override
	public void disableSubscription(String id, String reason, Instant at) {
		this.background.execute(() -> disable(id, reason, at, FIRST_RETRY));
	}

	private void disable(String id, String reason, Instant at, Duration retry) {
		try {
			if (this.configured.containsKey(id)) {
				Optional<Versioned<SubscriptionState>> state = this.documents.get(Kind.SUBSCRIPTION_STATES, id);
				if (state.isEmpty() || state.get().value().disabledAt() == null) {
					this.documents.put(Kind.SUBSCRIPTION_STATES, id, new SubscriptionState(at, reason),
							state.map((s) -> Precondition.matches(s.version())).orElse(Precondition.absent()));
					logger.error("Subscription {} is disabled: {}", id, reason);
				}
			}
			else {
				Optional<Versioned<SubscriptionDocument>> stored = this.documents.get(Kind.SUBSCRIPTIONS, id);
				// Deleted or disabled meanwhile: nothing to do.
				if (stored.isPresent() && stored.get().value().disabledAt() == null) {
					this.documents.put(Kind.SUBSCRIPTIONS, id, stored.get().value().withDisabled(at, reason),
							Precondition.matches(stored.get().version()));
					logger.error("Subscription {} is disabled: {}", id, reason);
				}
			}
		}
		catch (PreconditionFailedException ex) {
			// Someone changed it between our read and write: read again at once.
			this.background.execute(() -> disable(id, reason, at, retry));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not store that subscription {} is disabled ({}); trying again in {} s", id,
					ex.getMessage(), retry.toSeconds());
			Duration next = (retry.multipliedBy(2).compareTo(LAST_RETRY) > 0) ? LAST_RETRY : retry.multipliedBy(2);
			this.background.schedule(() -> disable(id, reason, at, next), retry.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/** Refresh, logging the first failure of an outage rather than throwing. */
	void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			synchronized (this.refreshLock) {
				if (!this.failing) {
					logger.warn("Cannot read the alerting catalog from storage; serving the one read {} ago until "
							+ "it can (millrace_alerting_catalog_age_seconds)", age(), ex);
					this.failing = true;
				}
			}
		}
	}

	/**
	 * List the documents' versions, read those that changed and, if anything did, make a
	 * new snapshot.
	 */
	void refresh() {
		synchronized (this.refreshLock) {
			if (!this.seeded) {
				seed();
				this.seeded = true;
			}
			Map<String, StoredObject> objects = this.documents
				.readChanged((this.loaded != null) ? this.loaded : Map.of());
			this.lastRefresh = this.clock.instant();
			if (this.failing) {
				logger.info("The alerting catalog is read from storage again");
				this.failing = false;
			}
			if (this.loaded != null && versions(objects).equals(versions(this.loaded))) {
				return;
			}
			this.snapshot = load(objects.values(), this.snapshot.version() + 1);
			this.loaded = objects;
		}
	}

	private static Map<String, String> versions(Map<String, StoredObject> objects) {
		Map<String, String> versions = new LinkedHashMap<>();
		objects.forEach((key, object) -> versions.put(key, object.version()));
		return versions;
	}

	private void seed() {
		for (Rule rule : this.seeds) {
			if (this.documents.seed(Kind.RULES, rule.id(), rule)) {
				logger.info("Rule {} created from configuration", rule.id());
			}
		}
	}

	private Snapshot load(Iterable<StoredObject> objects, long version) {
		List<Rule> rules = new ArrayList<>();
		List<Subscription> subscriptions = new ArrayList<>();
		List<Silence> silences = new ArrayList<>();
		Map<String, SubscriptionState> states = new LinkedHashMap<>();
		for (StoredObject object : objects) {
			try {
				this.documents.parseIfOfKind(Kind.RULES, object)
					.filter((rule) -> valid(object, RuleValidator.validate(rule)))
					.ifPresent(rules::add);
				this.documents.parseIfOfKind(Kind.SILENCES, object)
					.filter((silence) -> valid(object, SilenceValidator.validate(silence)))
					.ifPresent(silences::add);
				this.documents.parseIfOfKind(Kind.SUBSCRIPTIONS, object)
					.filter((document) -> !this.configured.containsKey(document.id()))
					.map(SubscriptionDocument::toSubscription)
					.ifPresent(subscriptions::add);
				this.documents.parseIfOfKind(Kind.SUBSCRIPTION_STATES, object)
					.ifPresent((state) -> states.put(idOf(object), state));
			}
			catch (RuntimeException ex) {
				reportBroken(object, ex.getMessage());
			}
		}
		List<Subscription> all = new ArrayList<>();
		for (Subscription subscription : this.configured.values()) {
			SubscriptionState state = states.get(subscription.id());
			boolean disabled = state != null && state.disabledAt() != null;
			all.add(disabled ? subscription.disabled(state.disabledAt(), state.disabledReason()) : subscription);
		}
		all.addAll(subscriptions);
		return new Snapshot(version, rules, all, silences);
	}

	private boolean valid(StoredObject object, List<FieldError> errors) {
		if (!errors.isEmpty()) {
			reportBroken(object, errors.toString());
		}
		return errors.isEmpty();
	}

	/** Once per version of a document: the refresh runs every few seconds. */
	private void reportBroken(StoredObject object, String problem) {
		if (this.reportedBroken.add(object.key() + "@" + object.version())) {
			logger.error("Catalog document {} is skipped: {}", object.key(), problem);
		}
	}

	private static String idOf(StoredObject object) {
		String name = object.key().substring(object.key().lastIndexOf('/') + 1);
		return name.substring(0, name.length() - ".json".length());
	}

	@Override
	public void close() {
		this.background.shutdownNow();
	}

}
