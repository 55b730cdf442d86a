package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe memory restored from a full copy and the changes after it remembers and
 * forgets exactly as the original, also where the engine's streams do not reach: ids
 * forgotten and seen again, ids remembered into buckets already below the forgetting
 * limit (a late event with allowed lateness above the horizon), and long stretches
 * without a snapshot, whose changes are still no larger than the whole memory.
 */
class DeduplicatorSnapshotTests {

	private static final long HORIZON = 5_000;

	@ParameterizedTest
	@CsvSource({ "1, 50", "2, 50", "3, 400", "4, 20000" })
	void restoredFromChangesItRemembersAndForgetsAsTheOriginal(long seed, int eventsPerSnapshot) throws IOException {
		Random random = new Random(seed);
		Deduplicator original = new Deduplicator(HORIZON);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3_000; i++) {
			ids.add("id-" + i);
		}
		long watermark = 0;
		byte[] base = null;
		List<byte[]> changes = new ArrayList<>();
		int steps = Math.max(20_000, 3 * eventsPerSnapshot);
		for (int step = 1; step <= steps; step++) {
			String id = ids.get(random.nextInt(ids.size()));
			// Mostly recent event times; some behind the forgetting limit.
			long eventTime = (random.nextInt(20) == 0) ? watermark - HORIZON - random.nextInt(5_000)
					: watermark + random.nextInt(3_000);
			if (!original.isDuplicate(id)) {
				original.remember(id, eventTime);
			}
			if (random.nextInt(10) == 0) {
				watermark += random.nextInt(400);
				original.forgetBefore(watermark);
			}
			if (step % eventsPerSnapshot != 0) {
				continue;
			}
			if (base == null || changes.size() == 7) {
				// Compaction: a full copy, which later changes follow.
				base = write(original::writeTo);
				changes.clear();
			}
			else {
				byte[] change = write(original::writeChangesTo);
				// Changes are the ids remembered since and still held: never more than
				// the
				// whole memory, however long the stretch (the kind byte, the limit and
				// the count's varint instead of the count's int).
				assertThat(change[0]).as("changes, not the whole memory").isEqualTo((byte) 0);
				assertThat(change.length).isLessThanOrEqualTo(write(original::writeTo).length + 1 + 8 + 1);
				changes.add(change);
			}
			original.startOver();
			Deduplicator restored = restore(base, changes);
			assertSameMemory(restored, original, ids);
			// The buckets are the same too: restored and a full copy of the original
			// forget alike from here.
			Deduplicator copy = restore(write(original::writeTo), List.of());
			Random next = new Random(step);
			long later = watermark;
			for (int i = 0; i < 500; i++) {
				String more = ids.get(next.nextInt(ids.size()));
				assertThat(restored.isDuplicate(more)).as(more).isEqualTo(copy.isDuplicate(more));
				if (!copy.isDuplicate(more)) {
					long time = later + next.nextInt(3_000) - 1_000;
					restored.remember(more, time);
					copy.remember(more, time);
				}
				later += next.nextInt(100);
				restored.forgetBefore(later);
				copy.forgetBefore(later);
			}
			assertSameMemory(restored, copy, ids);
		}
	}

	private static void assertSameMemory(Deduplicator restored, Deduplicator original, List<String> ids) {
		assertThat(restored.size()).isEqualTo(original.size());
		for (String id : ids) {
			assertThat(restored.isDuplicate(id)).as(id).isEqualTo(original.isDuplicate(id));
		}
	}

	private static Deduplicator restore(byte[] base, List<byte[]> changes) throws IOException {
		Deduplicator restored = new Deduplicator(HORIZON);
		restored.readFrom(new DataInputStream(new ByteArrayInputStream(base)));
		for (byte[] change : changes) {
			restored.readChangesFrom(new DataInputStream(new ByteArrayInputStream(change)));
		}
		return restored;
	}

	private static byte[] write(Writer writer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			writer.write(out);
		}
		return bytes.toByteArray();
	}

	@FunctionalInterface
	private interface Writer {

		void write(DataOutputStream out) throws IOException;

	}

}
