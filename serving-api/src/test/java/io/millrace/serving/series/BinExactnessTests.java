package io.millrace.serving.series;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.serving.history.SeriesHistory;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.store.WindowStore;
import org.junit.jupiter.api.Test;

import static io.millrace.serving.TestAggregates.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Bins against a brute-force computation over the readings the windows were made of:
 * count, min and max equal, sum, avg and stddev equal up to floating-point rounding,
 * p50/p95/p99 (from the windows' sketches merged) within the sketch's relative accuracy
 * of the exact quantile of the bin's readings.
 */
class BinExactnessTests {

	private static final double ACCURACY = 0.01;

	static final ServingProperties PROPERTIES = new ServingProperties(Duration.ofDays(2), 1_000_000,
			Duration.ofSeconds(10),
			new ServingProperties.Rebuild(ServingProperties.RebuildMode.END_OFFSETS, Duration.ofSeconds(3)),
			new ServingProperties.Api(100, 1000), new ServingProperties.Cors(List.of(), Duration.ofMinutes(30)),
			new ServingProperties.Live(Duration.ofSeconds(15), 10, 1, Duration.ofMinutes(30), Duration.ofSeconds(60),
					10000),
			new ServingProperties.Alerts(Duration.ofHours(24), 10000),
			new ServingProperties.Registry(Duration.ofSeconds(10), 10000));

	private final WindowStore store = new WindowStore(Duration.ofDays(2), 1_000_000, Duration.ofSeconds(10),
			Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));

	private final SeriesController controller = new SeriesController(this.store, PROPERTIES, new SeriesHistory(null));

	/** Readings by their minute window start. */
	private final Map<Long, List<double[]>> readings = new TreeMap<>();

	@Test
	void binsEqualABruteForceComputationOverTheReadings() {
		load(new Random(2026), 180);
		for (Duration bin : List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
				Duration.ofHours(1))) {
			for (Instant[] range : List.of(new Instant[] { null, null },
					new Instant[] { T0.plusSeconds(7 * 60 + 13), T0.plusSeconds(151 * 60) })) {
				SeriesController.SensorBins answer = (SeriesController.SensorBins) this.controller.aggregates("s1", "v",
						null, null, range[0], range[1], false, bin, 1000, null);
				List<Bin> expected = bruteForce(bin, range[0], range[1]);
				assertThat(answer.bins()).as(bin + " " + range[0]).hasSameSizeAs(expected);
				for (int i = 0; i < expected.size(); i++) {
					Bin got = answer.bins().get(i);
					Bin want = expected.get(i);
					assertThat(got.start()).isEqualTo(want.start());
					assertThat(got.end()).isEqualTo(want.end());
					assertThat(got.count()).isEqualTo(want.count());
					assertThat(got.min()).isEqualTo(want.min());
					assertThat(got.max()).isEqualTo(want.max());
					assertThat(got.sum()).isCloseTo(want.sum(), within(1e-9 * Math.abs(want.sum()) + 1e-9));
					assertThat(got.avg()).isCloseTo(want.avg(), within(1e-9 * Math.abs(want.avg()) + 1e-9));
					assertThat(got.stddev()).isCloseTo(want.stddev(), within(1e-9 * want.stddev() + 1e-9));
					assertThat(got.p50()).isCloseTo(want.p50(), within(ACCURACY * Math.abs(want.p50())));
					assertThat(got.p95()).isCloseTo(want.p95(), within(ACCURACY * Math.abs(want.p95())));
					assertThat(got.p99()).isCloseTo(want.p99(), within(ACCURACY * Math.abs(want.p99())));
					assertThat(got.firstValue()).isEqualTo(want.firstValue());
					assertThat(got.lastValue()).isEqualTo(want.lastValue());
					assertThat(got.isFinal()).isTrue();
				}
			}
		}
	}

	@Test
	void binsLeaveQuantilesOutWhenAWindowCarriesNoSketch() {
		load(new Random(8), 10);
		Map.Entry<Long, List<double[]>> first = this.readings.entrySet().iterator().next();
		// the first window again, in a later revision from a producer without sketches
		WindowAggregate withSketch = aggregate(first.getKey(), first.getValue());
		this.store.upsert(new WindowAggregate("s1", "v", withSketch.window(), withSketch.count(), withSketch.sum(),
				withSketch.min(), withSketch.max(), withSketch.avg(), withSketch.stddev(), withSketch.p50(),
				withSketch.p95(), withSketch.p99(), withSketch.firstValue(), withSketch.lastValue(), true, 1,
				WindowAggregate.LATE, withSketch.emittedAt()));
		SeriesController.SensorBins bins = (SeriesController.SensorBins) this.controller.aggregates("s1", "v", null,
				null, null, null, false, Duration.ofMinutes(5), 10, null);
		assertThat(bins.bins().get(0).p95()).isNull();
		assertThat(bins.bins().get(0).count()).isPositive();
		assertThat(bins.bins().subList(1, bins.bins().size())).allSatisfy((bin) -> assertThat(bin.p95()).isNotNull());
	}

	@Test
	void pagesOfBinsJoinUpToTheWholeAnswer() {
		load(new Random(11), 120);
		Duration bin = Duration.ofMinutes(5);
		SeriesController.SensorBins whole = (SeriesController.SensorBins) this.controller.aggregates("s1", "v", null,
				null, null, null, false, bin, 1000, null);
		List<Bin> paged = new ArrayList<>();
		String cursor = null;
		do {
			SeriesController.SensorBins page = (SeriesController.SensorBins) this.controller.aggregates("s1", "v", null,
					null, null, null, false, bin, 7, cursor);
			assertThat(page.bins()).hasSizeLessThanOrEqualTo(7);
			paged.addAll(page.bins());
			cursor = page.next();
		}
		while (cursor != null);
		assertThat(paged).isEqualTo(whole.bins());
	}

	@Test
	void finalOnlyLeavesEarlyResultsOutAndBinsSayWhetherTheyAreComplete() {
		load(new Random(5), 10);
		// the newest window as an early result of a later revision
		WindowAggregate open = new WindowAggregate("s1", "v",
				AggregateWindow.tumbling(T0.plusSeconds(600), Duration.ofMinutes(1)), 1, 5, 5, 5, 5, 0.0, null, null,
				null, 5.0, 5.0, false, 0, "early", T0);
		this.store.upsert(open);
		Duration bin = Duration.ofMinutes(15);
		SeriesController.SensorBins latest = (SeriesController.SensorBins) this.controller.aggregates("s1", "v", null,
				null, null, null, false, bin, 10, null);
		SeriesController.SensorBins finals = (SeriesController.SensorBins) this.controller.aggregates("s1", "v", null,
				null, null, null, true, bin, 10, null);
		assertThat(latest.bins()).singleElement().satisfies((b) -> assertThat(b.isFinal()).isFalse());
		assertThat(finals.bins()).singleElement().satisfies((b) -> {
			assertThat(b.isFinal()).isTrue();
			assertThat(b.count()).isEqualTo(latest.bins().get(0).count() - 1);
		});
	}

	@Test
	void refusesBinsThatCannotBeExact() {
		load(new Random(1), 5);
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> this.controller.aggregates("s1", "v", null, null, null, null, false,
					Duration.ofSeconds(90), 10, null))
			.withMessageContaining("'bin'")
			.withMessageContaining("multiple of the window size PT1M");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> this.controller.aggregates("s1", null, null, null, null, null, false,
					Duration.ofMinutes(5), 10, null))
			.withMessageContaining("'metric'");
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> this.controller.aggregates("s1", "v", "hopping", null, null, null, false,
					Duration.ofMinutes(5), 10, null))
			.withMessageContaining("tumbling windows only");
	}

	private void load(Random random, int minutes) {
		for (int minute = 0; minute < minutes; minute++) {
			if (random.nextInt(10) == 0) {
				continue; // a minute without readings: no window
			}
			long start = T0.plusSeconds(60L * minute).toEpochMilli();
			int n = 1 + random.nextInt(30);
			List<double[]> window = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				// {offset within the window, value}
				window.add(new double[] { i, Math.round((20 + random.nextGaussian() * 5) * 1000) / 1000.0 });
			}
			this.readings.put(start, window);
			this.store.upsert(aggregate(start, window));
		}
	}

	private static WindowAggregate aggregate(long start, List<double[]> readings) {
		long count = readings.size();
		double sum = 0;
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		for (double[] reading : readings) {
			sum += reading[1];
			min = Math.min(min, reading[1]);
			max = Math.max(max, reading[1]);
		}
		double avg = sum / count;
		double squares = 0;
		for (double[] reading : readings) {
			squares += (reading[1] - avg) * (reading[1] - avg);
		}
		WindowSketch.Accumulator sketch = new WindowSketch.Accumulator(ACCURACY);
		readings.forEach((reading) -> sketch.add(reading[1]));
		return new WindowAggregate("s1", "v",
				AggregateWindow.tumbling(Instant.ofEpochMilli(start), Duration.ofMinutes(1)), count, sum, min, max, avg,
				Math.sqrt(squares / count), sketch.quantile(0.5), sketch.quantile(0.95), sketch.quantile(0.99),
				readings.get(0)[1], readings.get(readings.size() - 1)[1], true, 0, WindowAggregate.ON_TIME,
				Instant.ofEpochMilli(start + 65_000), sketch.toSketch());
	}

	/** The value at rank floor(q (n - 1)) of the sorted readings. */
	private static double exact(List<Double> values, double q) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted[(int) Math.floor(q * (sorted.length - 1))];
	}

	private List<Bin> bruteForce(Duration bin, Instant from, Instant to) {
		long size = bin.toMillis();
		long lower = (from != null) ? Math.floorDiv(from.toEpochMilli(), size) * size : Long.MIN_VALUE;
		long upper = (to != null) ? -Math.floorDiv(-to.toEpochMilli(), size) * size : Long.MAX_VALUE;
		Map<Long, List<Double>> byBin = new TreeMap<>();
		this.readings.forEach((start, window) -> {
			if (start >= lower && start < upper) {
				List<Double> values = byBin.computeIfAbsent(Math.floorDiv(start, size) * size,
						(key) -> new ArrayList<>());
				window.forEach((reading) -> values.add(reading[1]));
			}
		});
		List<Bin> bins = new ArrayList<>();
		byBin.forEach((start, values) -> {
			double sum = values.stream().mapToDouble(Double::doubleValue).sum();
			double avg = sum / values.size();
			double squares = values.stream().mapToDouble((v) -> (v - avg) * (v - avg)).sum();
			bins.add(new Bin(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + size), values.size(), sum,
					values.stream().mapToDouble(Double::doubleValue).min().getAsDouble(),
					values.stream().mapToDouble(Double::doubleValue).max().getAsDouble(), avg,
					Math.sqrt(squares / values.size()), exact(values, 0.5), exact(values, 0.95), exact(values, 0.99),
					values.get(0), values.get(values.size() - 1), 0, true));
		});
		return bins;
	}

}
