package io.millrace.lakehouse.history;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History read back from a real Gold table written by the Gold table's own row mapping,
 * over several days (partitions) and commits: exactly the finals of the sensor, metric
 * and range asked for, in order, every statistic as written.
 */
class GoldHistoryTests {

	private static final Instant DAY_ONE = Instant.parse("2026-03-01T22:00:00Z");

	@TempDir
	Path root;

	private final GoldTable gold = new GoldTable();

	@Test
	void readsTheFinalsOfOneSensorAndRangeAcrossDaysAndCommits() {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		Engine engine = DefaultEngine.create(storage.fileIO());
		DeltaTableWriter writer = new DeltaTableWriter(engine, storage, this.gold.definition(), "test");
		writer.ensureTable();
		// 4 hours of 1-minute windows of two sensors and two metrics, across midnight,
		// in commits of 30 minutes, plus early results the Gold table leaves out.
		long offset = 0;
		long version = 0;
		List<Object[]> rows = new ArrayList<>();
		for (int minute = 0; minute < 240; minute++) {
			for (String sensor : List.of("s-1", "s-2")) {
				for (String metric : List.of("temperature", "humidity")) {
					for (boolean isFinal : List.of(false, true)) {
						Object[] row = this.gold.toRow(new SourceRecord<>("0", offset, new byte[0],
								aggregate(sensor, metric, minute, isFinal)), 0);
						offset++;
						if (row != null) {
							rows.add(row);
						}
					}
				}
			}
			if (minute % 30 == 29) {
				writer.append("gold-test-0", (version == 0) ? Optional.empty() : Optional.of(version - 1), version,
						rows);
				version++;
				rows = new ArrayList<>();
			}
		}

		GoldHistory history = new GoldHistory(new DeltaTableReader(engine, storage, this.gold.definition()));
		Instant from = DAY_ONE.plus(Duration.ofMinutes(90));
		Instant to = DAY_ONE.plus(Duration.ofMinutes(150));
		List<WindowAggregate> windows = history.windows(new GoldHistory.HistoryQuery("s-2", "temperature",
				AggregateWindow.TUMBLING, Duration.ofMinutes(1), from, to, 1000));

		assertThat(windows).hasSize(60);
		assertThat(windows).extracting((w) -> w.window().start())
			.isSorted()
			.startsWith(from)
			.endsWith(to.minus(Duration.ofMinutes(1)));
		assertThat(windows).first().isEqualTo(aggregate("s-2", "temperature", 90, true));
		assertThat(windows).allSatisfy((w) -> assertThat(w.isFinal()).isTrue());

		assertThat(history.windows(new GoldHistory.HistoryQuery("s-1", null, null, null, from, to, 1000)))
			.as("both metrics of s-1")
			.hasSize(120);
		assertThat(history.windows(new GoldHistory.HistoryQuery("s-1", null, null, null, from, to, 7))).hasSize(7);
		assertThat(history.windows(new GoldHistory.HistoryQuery("s-3", null, null, null, from, to, 1000))).isEmpty();
	}

	@Test
	void aTableThatDoesNotExistYetHasNoHistory() {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		GoldHistory history = new GoldHistory(
				new DeltaTableReader(DefaultEngine.create(storage.fileIO()), storage, this.gold.definition()));
		assertThat(history
			.windows(new GoldHistory.HistoryQuery("s-1", null, null, null, DAY_ONE, DAY_ONE.plusSeconds(60), 10)))
			.isEmpty();
	}

	private static WindowAggregate aggregate(String sensor, String metric, int minute, boolean isFinal) {
		Instant start = DAY_ONE.plus(Duration.ofMinutes(minute));
		double base = minute + (sensor.equals("s-1") ? 0 : 1000) + (metric.equals("humidity") ? 0.5 : 0);
		return new WindowAggregate(sensor, metric, AggregateWindow.tumbling(start, Duration.ofMinutes(1)), 10,
				base * 10, base - 1, base + 1, base, 0.5, base, base + 0.9, base + 0.99, base - 1, base + 1, isFinal,
				isFinal ? 1 : 0, isFinal ? WindowAggregate.ON_TIME : WindowAggregate.EARLY,
				start.plus(Duration.ofMinutes(1)));
	}

}
