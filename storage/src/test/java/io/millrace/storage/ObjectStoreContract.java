package io.millrace.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every {@link ObjectStore} adapter must do. Each adapter's test extends this and
 * provides a fresh, empty store.
 */
public abstract class ObjectStoreContract {

	/**
	 * A fresh, empty store.
	 * @return the store
	 */
	protected abstract ObjectStore store();

	@Test
	void writesAndReadsObjectsWithVersions() {
		ObjectStore store = store();
		assertThat(store.get("checkpoints/p-0")).isEmpty();
		String first = store.put("checkpoints/p-0", bytes("one"), Precondition.any());
		StoredObject read = store.get("checkpoints/p-0").orElseThrow();
		assertThat(read.key()).isEqualTo("checkpoints/p-0");
		assertThat(new String(read.data(), StandardCharsets.UTF_8)).isEqualTo("one");
		assertThat(read.version()).isEqualTo(first);
		String second = store.put("checkpoints/p-0", bytes("two"), Precondition.matches(first));
		assertThat(second).isNotEqualTo(first);
		assertThat(store.get("checkpoints/p-0").orElseThrow().version()).isEqualTo(second);
	}

	@Test
	void conditionalWritesFailWithoutWritingWhenTheObjectMoved() {
		ObjectStore store = store();
		String version = store.put("doc", bytes("a"), Precondition.absent());
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> store.put("doc", bytes("b"), Precondition.absent()));
		store.put("doc", bytes("c"), Precondition.matches(version));
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> store.put("doc", bytes("d"), Precondition.matches(version)))
			.withMessageContaining("doc");
		assertThat(store.get("doc").orElseThrow().data()).isEqualTo(bytes("c"));
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> store.put("missing", bytes("x"), Precondition.matches(version)));
		assertThat(store.get("missing")).isEmpty();
	}

	@Test
	void listsKeysByPrefixInOrder() {
		ObjectStore store = store();
		store.put("checkpoints/processing/p-1", bytes("1"), Precondition.any());
		store.put("checkpoints/processing/p-0", bytes("0"), Precondition.any());
		store.put("rules/high-temperature", bytes("r"), Precondition.any());
		assertThat(store.list("checkpoints/")).containsExactly("checkpoints/processing/p-0",
				"checkpoints/processing/p-1");
		assertThat(store.list("")).hasSize(3);
		assertThat(store.list("nothing/")).isEmpty();
	}

	@Test
	void listsKeysWithTheVersionsAReadReports() {
		ObjectStore store = store();
		String first = store.put("catalog/rules/a", bytes("a1"), Precondition.absent());
		store.put("catalog/rules/b", bytes("b1"), Precondition.absent());
		store.put("other/c", bytes("c1"), Precondition.absent());

		SortedMap<String, String> versions = store.listVersions("catalog/");
		assertThat(versions).containsOnlyKeys("catalog/rules/a", "catalog/rules/b");
		assertThat(versions.get("catalog/rules/a")).isEqualTo(first)
			.isEqualTo(store.get("catalog/rules/a").orElseThrow().version());
		assertThat(versions.get("catalog/rules/b")).isEqualTo(store.get("catalog/rules/b").orElseThrow().version());

		String second = store.put("catalog/rules/a", bytes("a2"), Precondition.matches(first));
		assertThat(store.listVersions("catalog/")).containsEntry("catalog/rules/a", second)
			.containsEntry("catalog/rules/b", versions.get("catalog/rules/b"));
	}

	@Test
	void deletesConditionallyAndToleratesAbsentObjects() {
		ObjectStore store = store();
		String version = store.put("gone", bytes("x"), Precondition.any());
		assertThatExceptionOfType(PreconditionFailedException.class)
			.isThrownBy(() -> store.delete("gone", Precondition.matches("stale")));
		store.delete("gone", Precondition.matches(version));
		assertThat(store.get("gone")).isEmpty();
		store.delete("gone", Precondition.any());
		assertThat(store.list("")).isEmpty();
	}

	@Test
	void exactlyOneOfManyConcurrentCompareAndSetsWinsEachRound() throws Exception {
		ObjectStore store = store();
		String version = store.put("counter", bytes("0"), Precondition.absent());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int round = 1; round <= 5; round++) {
				String expected = version;
				AtomicInteger winners = new AtomicInteger();
				List<Callable<String>> writers = new ArrayList<>();
				for (int writer = 0; writer < 8; writer++) {
					String content = round + "-" + writer;
					writers.add(() -> {
						try {
							String written = store.put("counter", bytes(content), Precondition.matches(expected));
							winners.incrementAndGet();
							return written;
						}
						catch (PreconditionFailedException ex) {
							return null;
						}
					});
				}
				String next = null;
				for (Future<String> result : pool.invokeAll(writers)) {
					if (result.get() != null) {
						next = result.get();
					}
				}
				assertThat(winners.get()).as("round " + round).isEqualTo(1);
				version = next;
				assertThat(store.get("counter").orElseThrow().version()).isEqualTo(version);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void rejectsKeysThatCouldEscapeTheStore() {
		ObjectStore store = store();
		for (String key : new String[] { "", "../etc/passwd", "a//b", "/abs", "a/./b", "sp ace", "a/" }) {
			assertThatExceptionOfType(StorageException.class).as(key)
				.isThrownBy(() -> store.put(key, bytes("x"), Precondition.any()));
		}
	}

	protected static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
