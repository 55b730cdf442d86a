package io.millrace.alerting.catalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.storage.LocalDirectoryObjectStore;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.millrace.alerting.catalog.CatalogFixtures.configured;
import static io.millrace.alerting.catalog.CatalogFixtures.rule;
import static io.millrace.alerting.catalog.CatalogFixtures.ruleIds;
import static io.millrace.alerting.catalog.CatalogFixtures.stored;
import static io.millrace.alerting.catalog.CatalogFixtures.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The stored catalog on a local directory, with each "replica" its own store and catalog
 * on one directory, as two processes on a shared volume would be.
 */
class StoredCatalogTests {

	@TempDir
	Path directory;

	final List<StoredCatalog> catalogs = new ArrayList<>();

	@AfterEach
	void close() {
		this.catalogs.forEach(StoredCatalog::close);
	}

	@Test
	void aWriteOnOneReplicaIsSeenByTheOtherAfterItsRefreshAndTheVersionGrowsOnlyOnChange() {
		StoredCatalog one = replica(List.of());
		StoredCatalog two = replica(List.of());
		long before = two.current().version();

		one.documents().put(Kind.RULES, "r1", rule("r1", 80), Precondition.absent());
		assertThat(ruleIds(one)).as("the writer's own snapshot, at once").containsExactly("r1");
		assertThat(ruleIds(two)).isEmpty();

		two.refresh();
		assertThat(ruleIds(two)).containsExactly("r1");
		long after = two.current().version();
		assertThat(after).isGreaterThan(before);
		two.refresh();
		assertThat(two.current().version()).as("nothing changed").isEqualTo(after);
	}

	@Test
	void aRefreshReadsOnlyTheDocumentsWhoseVersionChanged() {
		StoredCatalog writer = replica(List.of());
		CountingReads reads = new CountingReads(new LocalDirectoryObjectStore(this.directory));
		StoredCatalog reader = CatalogFixtures.replica(reads, List.of(), List.of(configured("default")));
		this.catalogs.add(reader);
		for (String id : List.of("r1", "r2", "r3")) {
			writer.documents().put(Kind.RULES, id, rule(id, 80), Precondition.absent());
		}

		reads.count = 0;
		reader.refresh();
		assertThat(ruleIds(reader)).containsExactly("r1", "r2", "r3");
		assertThat(reads.count).as("three new documents").isEqualTo(3);

		reads.count = 0;
		reader.refresh();
		assertThat(reads.count).as("nothing changed: the listing alone").isZero();

		Versioned<Rule> r2 = writer.documents().get(Kind.RULES, "r2").orElseThrow();
		writer.documents().put(Kind.RULES, "r2", rule("r2", 95), Precondition.matches(r2.version()));
		writer.documents().delete(Kind.RULES, "r3", Precondition.any());
		reads.count = 0;
		reader.refresh();
		assertThat(reads.count).as("the changed one only").isEqualTo(1);
		assertThat(ruleIds(reader)).containsExactly("r1", "r2");
		assertThat(reader.current().rules().get(1).threshold()).isEqualTo(95);
	}

	@Test
	void signingSecretsAreSealedInTheStoreAndOpenOnlyWithTheKey() throws Exception {
		SecretSealing sealing = SecretSealing
			.withKeys(List.of(new SecretSealing.Key("k1", Base64.getEncoder().encodeToString(new byte[32]))));
		LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(this.directory);
		StoredCatalog writer = CatalogFixtures.replica(store, List.of(), List.of(), sealing);
		this.catalogs.add(writer);
		SubscriptionDocument document = stored("sealed");
		writer.documents().put(Kind.SUBSCRIPTIONS, "sealed", document, Precondition.absent());

		String onDisk = new String(store.get("alerting/catalog/subscriptions/sealed.json").orElseThrow().data(),
				StandardCharsets.UTF_8);
		assertThat(onDisk).contains("sealed:v1:k1:").doesNotContain(document.secret());
		assertThat(subscription(writer, "sealed").secret().value()).isEqualTo(document.secret());

		StoredCatalog withTheKey = CatalogFixtures.replica(store, List.of(), List.of(), sealing);
		this.catalogs.add(withTheKey);
		assertThat(subscription(withTheKey, "sealed").secret().value()).isEqualTo(document.secret());
		StoredCatalog withoutTheKey = replica(List.of());
		assertThat(withoutTheKey.current().subscriptions()).extracting(Subscription::id).doesNotContain("sealed");
	}

	/** The local store, counting the reads of single objects the catalog makes. */
	static final class CountingReads implements ObjectStore {

		private final ObjectStore store;

		int count;

		CountingReads(ObjectStore store) {
			this.store = store;
		}

		@Override
		public Optional<StoredObject> get(String key) {
			this.count++;
			return this.store.get(key);
		}

		@Override
		public String put(String key, byte[] data, Precondition precondition) {
			return this.store.put(key, data, precondition);
		}

		@Override
		public void delete(String key, Precondition precondition) {
			this.store.delete(key, precondition);
		}

		@Override
		public List<String> list(String prefix) {
			return this.store.list(prefix);
		}

		@Override
		public SortedMap<String, String> listVersions(String prefix) {
			return this.store.listVersions(prefix);
		}

	}

	@Test
	void ofTwoConflictingWritesOneWinsAndTheOtherFailsItsPrecondition() {
		StoredCatalog one = replica(List.of());
		StoredCatalog two = replica(List.of());
		one.documents().put(Kind.RULES, "r1", rule("r1", 80), Precondition.absent());
		Versioned<Rule> readByOne = one.documents().get(Kind.RULES, "r1").orElseThrow();
		Versioned<Rule> readByTwo = two.documents().get(Kind.RULES, "r1").orElseThrow();

		one.documents().put(Kind.RULES, "r1", rule("r1", 90), Precondition.matches(readByOne.version()));
		assertThatExceptionOfType(PreconditionFailedException.class).isThrownBy(
				() -> two.documents().put(Kind.RULES, "r1", rule("r1", 70), Precondition.matches(readByTwo.version())));
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> two.documents().put(Kind.RULES, "r1", rule("r1", 70), Precondition.absent()));

		two.refresh();
		assertThat(two.current().rules()).extracting(Rule::threshold).containsExactly(90.0);
	}

	@Test
	void replicasStartingTogetherSeedOnceAndASeedNeverOverwritesAChangedRule() throws Exception {
		List<Rule> seeds = List.of(rule("seeded", 80));
		ExecutorService starting = Executors.newFixedThreadPool(4);
		try {
			List<Future<StoredCatalog>> started = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				started.add(starting.submit((Callable<StoredCatalog>) () -> replica(seeds)));
			}
			for (Future<StoredCatalog> replica : started) {
				assertThat(ruleIds(replica.get())).containsExactly("seeded");
			}
		}
		finally {
			starting.shutdown();
		}
		StoredCatalog one = this.catalogs.get(0);
		Versioned<Rule> seeded = one.documents().get(Kind.RULES, "seeded").orElseThrow();
		one.documents().put(Kind.RULES, "seeded", rule("seeded", 95), Precondition.matches(seeded.version()));

		StoredCatalog restarted = replica(seeds);
		assertThat(restarted.current().rules()).extracting(Rule::threshold).containsExactly(95.0);
	}

	@Test
	void aDisabledSubscriptionStaysDisabledForANewInstanceWhetherConfiguredOrStored() {
		StoredCatalog one = replica(List.of());
		one.documents().put(Kind.SUBSCRIPTIONS, "api-made", stored("api-made"), Precondition.absent());
		Instant at = Instant.parse("2026-12-01T08:00:00Z");

		one.disableSubscription("default", "410 Gone", at);
		one.disableSubscription("api-made", "failing for 3 days", at);
		await().until(() -> !subscription(one, "default").enabled() && !subscription(one, "api-made").enabled());

		StoredCatalog restarted = replica(List.of());
		assertThat(subscription(restarted, "default").disabledAt()).isEqualTo(at);
		assertThat(subscription(restarted, "default").disabledReason()).isEqualTo("410 Gone");
		assertThat(subscription(restarted, "api-made").disabledReason()).isEqualTo("failing for 3 days");
		// Configuration still decides everything else about its own subscription.
		assertThat(subscription(restarted, "default").url()).hasToString("https://hooks.example.com/default");
	}

	private StoredCatalog replica(List<Rule> seeds) {
		StoredCatalog catalog = CatalogFixtures.replica(new LocalDirectoryObjectStore(this.directory), seeds,
				List.of(configured("default")));
		synchronized (this.catalogs) {
			this.catalogs.add(catalog);
		}
		return catalog;
	}

}
