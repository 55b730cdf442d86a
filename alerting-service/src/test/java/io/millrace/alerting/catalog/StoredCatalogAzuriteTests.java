package io.millrace.alerting.catalog;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.azure.AzureBlobObjectStore;
import io.millrace.storage.azure.AzuriteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.millrace.alerting.catalog.CatalogFixtures.configured;
import static io.millrace.alerting.catalog.CatalogFixtures.rule;
import static io.millrace.alerting.catalog.CatalogFixtures.ruleIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The stored catalog on Azure Blob Storage (a real Azurite): blob ETags guard the writes
 * of two replicas, and an outage leaves the last snapshot in service.
 */
class StoredCatalogAzuriteTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	@Test
	void twoReplicasShareAContainerConflictsFailAndAnOutageServesTheLastSnapshot() throws Exception {
		String container = "catalog-" + UUID.randomUUID().toString().substring(0, 8);
		try (StoredCatalog one = replica(container); StoredCatalog two = replica(container)) {
			assertThat(ruleIds(one)).containsExactly("seeded");

			one.documents().put(Kind.RULES, "r1", rule("r1", 80), Precondition.absent());
			two.refresh();
			assertThat(ruleIds(two)).containsExactlyInAnyOrder("seeded", "r1");

			Versioned<Rule> read = two.documents().get(Kind.RULES, "r1").orElseThrow();
			one.documents()
				.put(Kind.RULES, "r1", rule("r1", 90),
						Precondition.matches(one.documents().get(Kind.RULES, "r1").orElseThrow().version()));
			assertThatExceptionOfType(PreconditionFailedException.class).isThrownBy(
					() -> two.documents().put(Kind.RULES, "r1", rule("r1", 70), Precondition.matches(read.version())));

			AlertingCatalog.Snapshot before = two.current();
			azurite.stop();
			try {
				Thread.sleep(1100);
				two.refreshQuietly();
				assertThat(two.current()).isSameAs(before);
				assertThat(two.age()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			}
			finally {
				azurite.start();
			}
			two.refresh();
			assertThat(two.age()).isLessThan(Duration.ofSeconds(1));
			assertThat(two.current().rules()).extracting(Rule::threshold).contains(90.0);
		}
	}

	private static StoredCatalog replica(String container) {
		// One try per request: an outage shows at once rather than after the SDK's
		// back-off.
		ObjectStore store = AzureBlobObjectStore.fromConnectionString(azurite.connectionString(), container, null,
				new AzureBlobObjectStore.Retries(1, Duration.ofSeconds(2)));
		return CatalogFixtures.replica(store, List.of(rule("seeded", 80)), List.of(configured("default")));
	}

}
