package io.millrace.serving.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.api.Cursors;
import io.millrace.serving.api.TimeRanges;
import io.millrace.serving.sensors.SensorDirectory;
import io.millrace.serving.sensors.TagFilter;
import io.millrace.serving.store.Series;
import io.millrace.serving.store.StoredSensor;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sensors ranked by a statistic of one metric over a time range. */
@RestController
@RequestMapping("/api/v1/top")
class TopController {

	private static final Duration DEFAULT_RANGE = Duration.ofHours(1);

	static final String MERGED_SKETCH = "merged-sketch";

	static final String WORST_WINDOW = "worst-window";

	private final WindowStore store;

	private final ServingProperties properties;

	private final ObjectProvider<SensorDirectory> directory;

	TopController(WindowStore store, ServingProperties properties, ObjectProvider<SensorDirectory> directory) {
		this.store = store;
		this.properties = properties;
		this.directory = directory;
	}

	@Operation(summary = "Top-N sensors by a statistic",
			description = "Each sensor's windows of the metric that start in [from, to) (default: the last hour before "
					+ "the newest window), in its finest series of the kind (default tumbling) unless 'size' names one; "
					+ "sensors without such windows are left out. count, sum and avg add windows up and need tumbling "
					+ "windows; p50/p95/p99 over tumbling windows that all carry a quantile sketch rank by the quantile "
					+ "of the range's sketches merged (within the sketch's relative accuracy of the exact quantile of "
					+ "every reading in the range; estimate=merged-sketch), otherwise by the largest per-window "
					+ "estimate in the range (the worst window; estimate=worst-window).")
	@GetMapping
	Top top(@Parameter(description = "the metric") @RequestParam String metric,
			@Parameter(description = "count, sum, avg, min, max, last, p50, p95 or p99") @RequestParam(
					defaultValue = "max") String statistic,
			@Parameter(description = "desc (highest first, default) or asc") @RequestParam(
					defaultValue = "desc") String order,
			@Parameter(description = "inclusive, RFC 3339") @RequestParam(required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@Parameter(description = "exclusive, RFC 3339") @RequestParam(required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@Parameter(description = "window kind (default tumbling)") @RequestParam(
					defaultValue = AggregateWindow.TUMBLING) String kind,
			@Parameter(description = "window size, ISO-8601; default the finest") @RequestParam(
					required = false) Duration size,
			@Parameter(description = "only final windows") @RequestParam(name = "final-only",
					defaultValue = "false") boolean finalOnly,
			@Parameter(description = "only sensor ids starting with this") @RequestParam(
					required = false) String prefix,
			@Parameter(description = "key:value, repeatable; needs the sensor registry") @RequestParam(
					required = false) List<String> tag,
			@Parameter(description = "how many sensors (default 10)") @RequestParam(required = false) Integer limit) {
		Statistic by = Statistic.parse(statistic);
		boolean descending = switch (order) {
			case "desc" -> true;
			case "asc" -> false;
			default -> throw ApiException.invalidParameter("order", "must be asc or desc, was '" + order + "'");
		};
		if (by.isAdditive() && !AggregateWindow.TUMBLING.equals(kind)) {
			throw ApiException.invalidParameter("statistic",
					by.label() + " adds windows up, which needs tumbling windows; " + kind + " windows overlap");
		}
		TimeRanges.check(from, to);
		int n = Cursors.limit(limit, 10, this.properties.api().maxLimit());
		SensorDirectory sensors = this.directory.getIfAvailable(() -> SensorDirectory.NONE);
		List<TagFilter> tags = TagFilter.parse(tag, sensors);
		Instant start = (from != null) ? from
				: ((to != null) ? to : Instant.ofEpochMilli(this.store.nowMillis())).minus(DEFAULT_RANGE);
		long lower = start.toEpochMilli();
		long upper = TimeRanges.toMillis(to);
		Comparator<Ranked> best = Comparator.comparingDouble(Ranked::value);
		if (descending) {
			best = best.reversed();
		}
		best = best.thenComparing(Ranked::sensorId);
		// The worst of the best n at the head, to be pushed out.
		PriorityQueue<Ranked> kept = new PriorityQueue<>(best.reversed());
		for (StoredSensor sensor : this.store.sensors(prefix, null)) {
			if (!sensors.hasTags(sensor.sensorId(), tags)) {
				continue;
			}
			Series series = finest(sensor, metric, kind, size);
			if (series == null) {
				continue;
			}
			Ranked ranked = rank(sensor, series, by, lower, upper, finalOnly);
			if (ranked == null) {
				continue;
			}
			kept.add(ranked);
			if (kept.size() > n) {
				kept.poll();
			}
		}
		List<Ranked> ranking = new ArrayList<>(kept);
		ranking.sort(best);
		List<Entry> entries = new ArrayList<>();
		for (Ranked ranked : ranking) {
			entries.add(new Entry(entries.size() + 1, ranked.sensorId(), ranked.value(), ranked.windows(),
					Instant.ofEpochMilli(ranked.lastSeen()), ranked.estimate()));
		}
		return new Top(metric, by.label(), descending ? "desc" : "asc", kind, size, start, to, finalOnly, entries);
	}

	private static Series finest(StoredSensor sensor, String metric, String kind, Duration size) {
		Series finest = null;
		for (Series series : sensor.series()) {
			if (!series.key().matches(metric, kind, size) || series.key().length() == null) {
				continue;
			}
			if (finest == null || series.key().length().compareTo(finest.key().length()) < 0) {
				finest = series;
			}
		}
		return finest;
	}

	private static Ranked rank(StoredSensor sensor, Series series, Statistic by, long lower, long upper,
			boolean finalOnly) {
		long count = 0;
		double sum = 0;
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		double peak = Double.NaN;
		double last = Double.NaN;
		int windows = 0;
		boolean quantile = by == Statistic.P50 || by == Statistic.P95 || by == Statistic.P99;
		// Sketches of overlapping windows would count readings more than once.
		RangeSketch range = (quantile && AggregateWindow.TUMBLING.equals(series.key().kind())) ? new RangeSketch()
				: null;
		for (StoredWindow window : series.startingIn(lower, upper)) {
			if (finalOnly && !window.isFinal()) {
				continue;
			}
			windows++;
			count += window.count();
			sum += window.sum();
			min = Math.min(min, window.min());
			max = Math.max(max, window.max());
			last = Double.isNaN(window.lastValue()) ? window.avg() : window.lastValue();
			if (quantile) {
				if (range != null) {
					range.add(window);
				}
				double estimate = window.percentile(percent(by));
				if (!Double.isNaN(estimate) && (Double.isNaN(peak) || estimate > peak)) {
					peak = estimate;
				}
			}
		}
		if (windows == 0) {
			return null;
		}
		double value = switch (by) {
			case COUNT -> count;
			case SUM -> sum;
			case AVG -> (count > 0) ? sum / count : Double.NaN;
			case MIN -> min;
			case MAX -> max;
			case LAST -> last;
			case P50, P95, P99 -> peak;
		};
		String estimate = null;
		if (quantile) {
			double merged = (range != null) ? range.quantile(percent(by) / 100.0, count, min, max) : Double.NaN;
			estimate = Double.isNaN(merged) ? WORST_WINDOW : MERGED_SKETCH;
			value = Double.isNaN(merged) ? value : merged;
		}
		if (Double.isNaN(value)) {
			return null;
		}
		return new Ranked(sensor.sensorId(), value, windows, sensor.lastSeenMillis(), estimate);
	}

	private static int percent(Statistic by) {
		return Integer.parseInt(by.label().substring(1));
	}

	/**
	 * The range's windows' sketches merged, while every one has a sketch of one accuracy.
	 */
	private static final class RangeSketch {

		private WindowSketch.Accumulator merged;

		private boolean complete = true;

		void add(StoredWindow window) {
			if (!this.complete) {
				return;
			}
			if (this.merged == null) {
				double accuracy = window.sketchAccuracy();
				if (Double.isNaN(accuracy)) {
					this.complete = false;
					return;
				}
				this.merged = new WindowSketch.Accumulator(accuracy);
			}
			this.complete = window.mergeSketchInto(this.merged) && this.merged.isCompatible();
		}

		/** NaN unless every window's readings are in the merged sketch. */
		double quantile(double q, long count, double min, double max) {
			if (!this.complete || this.merged == null || this.merged.count() != count) {
				return Double.NaN;
			}
			return Math.max(min, Math.min(max, this.merged.quantile(q)));
		}

	}

	private record Ranked(String sensorId, double value, int windows, long lastSeen, String estimate) {
	}

	/**
	 * The body of {@code GET /api/v1/top}.
	 *
	 * @param metric the metric
	 * @param statistic what sensors are ranked by
	 * @param order desc or asc
	 * @param kind the window kind
	 * @param size the window size asked for, if any
	 * @param from inclusive start of the range
	 * @param to exclusive end, if given
	 * @param finalOnly whether only finals counted
	 * @param sensors the ranking, best first
	 */
	record Top(String metric, String statistic, String order, String kind, Duration size, Instant from, Instant to,
			boolean finalOnly, List<Entry> sensors) {
	}

	/**
	 * One ranked sensor.
	 *
	 * @param rank 1 for the first
	 * @param sensorId the sensor
	 * @param value its statistic over the range
	 * @param windows how many windows it was computed from
	 * @param lastSeen end of the sensor's newest window
	 * @param estimate for p50/p95/p99, how the value was estimated:
	 * {@value #MERGED_SKETCH} (the quantile of the range's sketches merged) or
	 * {@value #WORST_WINDOW} (the largest per-window estimate, when a window has no
	 * sketch or the windows overlap)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Entry(int rank, String sensorId, double value, int windows, Instant lastSeen, String estimate) {
	}

}
