package io.millrace.serving.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series' sorted array against a {@link TreeMap} doing the same operations: appends,
 * late inserts, replacements in place, removal of the oldest, lookups and range reads.
 */
class SeriesTests {

	private final Series series = new Series("s1", new SeriesKey("t", "tumbling", Duration.ofMinutes(1), null, null));

	private long sequence;

	@Test
	void answersLikeASortedMapUnderAnyMixOfWrites() {
		TreeMap<Long, StoredWindow> expected = new TreeMap<>();
		Random random = new Random(11);
		int newest = 0;
		for (int step = 0; step < 50_000; step++) {
			int operation = random.nextInt(10);
			if (operation < 5) {
				// in order, as windows mostly come
				put(expected, newest++, random.nextInt(3));
			}
			else if (operation < 7) {
				// late, or a revision of one already there
				put(expected, Math.max(0, newest - 1 - random.nextInt(200)), random.nextInt(3));
			}
			else if (operation < 9 && !expected.isEmpty()) {
				assertThat(this.series.removeOldest()).isSameAs(expected.pollFirstEntry().getValue());
			}
			long from = startOf(random.nextInt(newest + 2) - 1);
			long to = from + random.nextInt(300) * 60_000L;
			assertThat(new ArrayList<>(this.series.startingIn(from, to)))
				.containsExactlyElementsOf(expected.subMap(from, true, to, false).values());
			long probe = startOf(random.nextInt(newest + 2) - 1);
			assertThat(this.series.get(probe)).isSameAs(expected.get(probe));
			assertThat(this.series.size()).isEqualTo(expected.size());
			assertThat(this.series.newest()).isSameAs(expected.isEmpty() ? null : expected.lastEntry().getValue());
			assertThat(this.series.oldest()).isSameAs(expected.isEmpty() ? null : expected.firstEntry().getValue());
		}
		assertThat(this.series.windows()).isEqualTo(expected);
	}

	@Test
	void anIterationStartedBeforeWritesSeesWholeWindowsInOrderAndNoneRemovedTwice() {
		TreeMap<Long, StoredWindow> expected = new TreeMap<>();
		for (int minute = 0; minute < 100; minute++) {
			put(expected, minute, 0);
		}
		Iterator<StoredWindow> reading = this.series.startingIn(Long.MIN_VALUE, Long.MAX_VALUE).iterator();
		StoredWindow first = reading.next();
		// The writer removes the oldest 60, appends, revises and inserts late meanwhile.
		for (int i = 0; i < 60; i++) {
			assertThat(this.series.removeOldest()).isSameAs(expected.pollFirstEntry().getValue());
		}
		for (int minute = 100; minute < 400; minute++) {
			put(expected, minute, 0);
		}
		put(expected, 80, 1);
		List<StoredWindow> seen = new ArrayList<>(List.of(first));
		reading.forEachRemaining(seen::add);
		assertThat(seen).doesNotContainNull();
		assertThat(seen).extracting(StoredWindow::startMillis).isSorted().doesNotHaveDuplicates();
		assertThat(seen.get(0).startMillis()).isEqualTo(startOf(0));
		assertThat(this.series.oldest().startMillis()).isEqualTo(startOf(60));
		assertThat(this.series.get(startOf(80)).revision()).isEqualTo(1);
		assertThat(this.series.size()).isEqualTo(340);
	}

	@Test
	void aSeriesEmptiedAndRefilledStartsOver() {
		TreeMap<Long, StoredWindow> expected = new TreeMap<>();
		for (int round = 0; round < 3; round++) {
			for (int minute = 0; minute < 50; minute++) {
				put(expected, minute * 3 + round, 0);
			}
			for (Map.Entry<Long, StoredWindow> entry : expected.entrySet()) {
				assertThat(this.series.get(entry.getKey())).isSameAs(entry.getValue());
			}
			while (!expected.isEmpty()) {
				assertThat(this.series.removeOldest()).isSameAs(expected.pollFirstEntry().getValue());
			}
			assertThat(this.series.isEmpty()).isTrue();
			assertThat(this.series.startingIn(Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
			assertThat(this.series.newest()).isNull();
		}
	}

	private void put(TreeMap<Long, StoredWindow> expected, int minute, int revision) {
		StoredWindow version = new StoredWindow(this.series, minute("s1", "t", minute, minute, false, revision),
				++this.sequence);
		StoredWindow replaced = this.series.put(version);
		assertThat(replaced).isSameAs(expected.put(version.startMillis(), version));
	}

	private static long startOf(int minute) {
		return T0.toEpochMilli() + minute * 60_000L;
	}

}
