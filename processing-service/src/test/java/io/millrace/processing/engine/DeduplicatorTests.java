package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe memory is exact: ids that share a hash code are told apart, and it agrees
 * with a plain set of the ids of unexpired buckets through growth, forgetting and
 * shrinking of its table.
 */
class DeduplicatorTests {

	@Test
	void idsWithTheSameHashCodeAreNotDuplicatesOfEachOther() {
		// "Aa" and "BB" have the same String.hashCode(); so do their concatenations.
		String[] colliding = { "AaAa", "AaBB", "BBAa", "BBBB" };
		assertThat(Set.of(colliding).stream().map(String::hashCode).distinct()).hasSize(1);
		Deduplicator memory = new Deduplicator(10_000);
		memory.remember("AaAa", 0);
		assertThat(memory.isDuplicate("AaAa")).isTrue();
		assertThat(memory.isDuplicate("AaBB")).isFalse();
		memory.remember("AaBB", 5_000);
		memory.remember("BBAa", 5_000);
		assertThat(memory.isDuplicate("BBBB")).isFalse();
		assertThat(memory.size()).isEqualTo(3);
		// The bucket of "AaAa" goes; the others, probed past it, stay findable.
		memory.forgetBefore(10_000 + 1_000);
		assertThat(memory.isDuplicate("AaAa")).isFalse();
		assertThat(memory.isDuplicate("AaBB")).isTrue();
		assertThat(memory.isDuplicate("BBAa")).isTrue();
		assertThat(memory.size()).isEqualTo(2);
	}

	@Test
	void agreesWithASetOfTheUnexpiredIds() {
		long horizon = 20_000;
		Random random = new Random(7);
		Deduplicator memory = new Deduplicator(horizon);
		// id -> bucket of the time it was remembered at
		Map<String, Long> expected = new HashMap<>();
		long watermark = 0;
		for (int step = 0; step < 400_000; step++) {
			// Few distinct ids, so many repeat; some with colliding hash codes.
			String id = (random.nextInt(50) == 0) ? ((random.nextBoolean() ? "Aa" : "BB") + random.nextInt(300))
					: "event-" + random.nextInt(60_000);
			boolean duplicate = expected.containsKey(id);
			assertThat(memory.isDuplicate(id)).as(id).isEqualTo(duplicate);
			if (!duplicate) {
				long time = watermark + random.nextInt(4_000) - 2_000;
				memory.remember(id, time);
				expected.put(id, Math.floorDiv(time, 1_000));
			}
			if (random.nextInt(20) == 0) {
				// Sometimes a burst that forgets almost everything: the table shrinks.
				watermark += (random.nextInt(20_000) == 0) ? 60_000 : random.nextInt(200);
				memory.forgetBefore(watermark);
				long limit = Math.floorDiv(watermark - horizon, 1_000);
				expected.values().removeIf((bucket) -> bucket < limit);
			}
			if (step % 50_000 == 0) {
				assertThat(memory.size()).isEqualTo(expected.size());
				Set<String> sample = new HashSet<>(expected.keySet());
				sample.forEach((known) -> assertThat(memory.isDuplicate(known)).as(known).isTrue());
			}
		}
		assertThat(memory.size()).isEqualTo(expected.size());
	}

	@Test
	void idsOfAnyCharactersSurviveASnapshotAsDataOutputWritesThem() throws IOException {
		List<String> ids = List.of("plain-1", "caf\u00e9", "\u20ac-euro", "nul\u0000inside", "\ud83d\ude00 emoji",
				"x".repeat(300), "");
		Deduplicator memory = new Deduplicator(60_000);
		for (int i = 0; i < ids.size(); i++) {
			memory.remember(ids.get(i), i * 1_500L);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			memory.writeTo(out);
		}
		// The format is writeUTF's: read back independently of the memory.
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
		Set<String> read = new HashSet<>();
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			read.add(in.readUTF());
			in.readLong();
		}
		assertThat(read).containsExactlyInAnyOrderElementsOf(ids);
		Deduplicator restored = new Deduplicator(60_000);
		restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
		ids.forEach((id) -> assertThat(restored.isDuplicate(id)).as(id).isTrue());
		assertThat(restored.isDuplicate("cafe")).isFalse();
	}

}
