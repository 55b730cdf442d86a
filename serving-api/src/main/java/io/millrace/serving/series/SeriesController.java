package io.millrace.serving.series;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.api.Cursors;
import io.millrace.serving.api.TimeRanges;
import io.millrace.serving.history.SeriesHistory;
import io.millrace.serving.store.Series;
import io.millrace.serving.store.SeriesKey;
import io.millrace.serving.store.StoredSensor;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A sensor's window aggregates over a time range, as stored (the newest revision of each
 * window, or finals only) or rolled up into coarser bins.
 */
@RestController
@RequestMapping("/api/v1/sensors/{sensorId}/aggregates")
class SeriesController {

	private static final String WINDOWS = "windows";

	private static final String BINS = "bins";

	private final WindowStore store;

	private final ServingProperties properties;

	private final SeriesHistory history;

	SeriesController(WindowStore store, ServingProperties properties, SeriesHistory history) {
		this.store = store;
		this.properties = properties;
		this.history = history;
	}

	@Operation(summary = "A sensor's aggregates",
			description = "Windows whose start is in [from, to), by series (metric, kind, size) and start. Each window "
					+ "in its newest revision, or only finals with final-only=true. With 'bin' (an ISO-8601 duration, "
					+ "a multiple of the window size) one tumbling series is rolled up into epoch-aligned bins, "
					+ "from/to widened to whole bins: exact count, sum, min, max, avg and combined stddev; p50/p95/p99 "
					+ "from the windows' quantile sketches merged (within the sketch's relative accuracy of the exact "
					+ "quantile of the bin's readings; left out when a window carries no sketch). Pages by 'limit' and 'cursor'.")
	@ApiResponse(responseCode = "200", description = "windows (without bin) or bins (with bin)",
			content = @Content(schema = @Schema(oneOf = { SensorAggregates.class, SensorBins.class })))
	@GetMapping
	Object aggregates(@PathVariable String sensorId,
			@Parameter(description = "the metric; required with bin") @RequestParam(required = false) String metric,
			@Parameter(description = "window kind: tumbling, hopping, sliding or session") @RequestParam(
					required = false) String kind,
			@Parameter(description = "window size (or a session's gap), ISO-8601 such as PT1M") @RequestParam(
					required = false) Duration size,
			@Parameter(description = "inclusive, RFC 3339") @RequestParam(required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@Parameter(description = "exclusive, RFC 3339") @RequestParam(required = false) @DateTimeFormat(
					iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@Parameter(description = "only final windows (default: each window's newest revision)") @RequestParam(
					name = "final-only", defaultValue = "false") boolean finalOnly,
			@Parameter(description = "roll up into bins of this length, ISO-8601 such as PT1H") @RequestParam(
					required = false) Duration bin,
			@Parameter(description = "page size") @RequestParam(required = false) Integer limit,
			@Parameter(description = "'next' of the previous page") @RequestParam(required = false) String cursor) {
		TimeRanges.check(from, to);
		int size0 = Cursors.limit(limit, this.properties.api().defaultLimit(), this.properties.api().maxLimit());
		if (size != null && (size.isNegative() || size.isZero())) {
			throw ApiException.invalidParameter("size", "must be positive, was " + size);
		}
		StoredSensor sensor = this.store.sensor(sensorId);
		if (sensor == null) {
			throw ApiException.unknownSensor(sensorId);
		}
		if (bin != null) {
			return bins(sensor, metric, kind, size, from, to, finalOnly, bin, size0, cursor);
		}
		return windows(sensor, metric, kind, size, from, to, finalOnly, size0, cursor);
	}

	private SensorAggregates windows(StoredSensor sensor, String metric, String kind, Duration size, Instant from,
			Instant to, boolean finalOnly, int limit, String cursor) {
		List<String> position = Cursors.decode(WINDOWS, cursor, 6);
		SeriesKey after = (position != null) ? key(position) : null;
		long resumeAt = (position != null) ? parseLong(position.get(5)) : Long.MIN_VALUE;
		long lower = TimeRanges.fromMillis(from);
		long upper = TimeRanges.toMillis(to);
		List<WindowAggregate> page = new ArrayList<>();
		String next = null;
		outer: for (Series series : sensor.series()) {
			if (!series.key().matches(metric, kind, size)) {
				continue;
			}
			long start = lower;
			if (after != null) {
				int order = SeriesKey.ORDER.compare(series.key(), after);
				if (order < 0) {
					continue;
				}
				if (order == 0) {
					start = Math.max(start, resumeAt);
				}
			}
			for (StoredWindow window : this.history.startingIn(series, start, upper)) {
				if (finalOnly && !window.isFinal()) {
					continue;
				}
				if (page.size() == limit) {
					next = cursor(series.key(), window.startMillis());
					break outer;
				}
				page.add(window.toAggregate());
			}
		}
		return new SensorAggregates(sensor.sensorId(), metric, kind, size, from, to, finalOnly, page, next);
	}

	private SensorBins bins(StoredSensor sensor, String metric, String kind, Duration size, Instant from, Instant to,
			boolean finalOnly, Duration bin, int limit, String cursor) {
		if (metric == null) {
			throw ApiException.invalidParameter("metric", "is required with 'bin': one series is rolled up");
		}
		if (kind != null && !AggregateWindow.TUMBLING.equals(kind)) {
			throw ApiException.invalidParameter("bin",
					"rolls up tumbling windows only: " + kind + " windows overlap or have no fixed length");
		}
		if (bin.isNegative() || bin.isZero()) {
			throw ApiException.invalidParameter("bin", "must be positive, was " + bin);
		}
		Series series = tumblingSeries(sensor, metric, size);
		Duration windowSize = series.key().size();
		long binMillis = bin.toMillis();
		if (binMillis % windowSize.toMillis() != 0) {
			throw ApiException.invalidParameter("bin",
					"must be a whole multiple of the window size " + windowSize + ", was " + bin);
		}
		List<String> position = Cursors.decode(BINS, cursor, 1);
		long lower = (from != null) ? Math.floorDiv(from.toEpochMilli(), binMillis) * binMillis : Long.MIN_VALUE;
		long upper = (to != null) ? ceil(to.toEpochMilli(), binMillis) : Long.MAX_VALUE;
		Instant widenedFrom = (from != null) ? Instant.ofEpochMilli(lower) : null;
		Instant widenedTo = (to != null) ? Instant.ofEpochMilli(upper) : null;
		if (position != null) {
			lower = Math.max(lower, parseLong(position.get(0)));
		}
		List<Bin> page = new ArrayList<>();
		String next = null;
		Rollup current = null;
		for (StoredWindow window : this.history.startingIn(series, lower, upper)) {
			if (finalOnly && !window.isFinal()) {
				continue;
			}
			long binStart = Math.floorDiv(window.startMillis(), binMillis) * binMillis;
			if (current == null || current.start() != binStart) {
				if (current != null) {
					page.add(current.toBin());
				}
				if (page.size() == limit) {
					next = Cursors.encode(BINS, Long.toString(binStart));
					current = null;
					break;
				}
				current = new Rollup(binStart, binStart + binMillis);
			}
			current.add(window);
		}
		if (current != null && !current.isEmpty()) {
			page.add(current.toBin());
		}
		return new SensorBins(sensor.sensorId(), metric, AggregateWindow.TUMBLING, windowSize, bin, widenedFrom,
				widenedTo, finalOnly, page, next);
	}

	private static Series tumblingSeries(StoredSensor sensor, String metric, Duration size) {
		List<Series> candidates = new ArrayList<>();
		for (Series series : sensor.series()) {
			if (series.key().isTumbling() && series.key().matches(metric, AggregateWindow.TUMBLING, size)) {
				candidates.add(series);
			}
		}
		if (candidates.isEmpty()) {
			throw ApiException.invalidParameter((size != null) ? "size" : "metric", "sensor " + sensor.sensorId()
					+ " has no tumbling series of '" + metric + "'" + ((size != null) ? " with size " + size : ""));
		}
		if (candidates.size() > 1) {
			throw ApiException.invalidParameter("size", "sensor " + sensor.sensorId() + " has tumbling series of '"
					+ metric + "' in several sizes: choose one with 'size'");
		}
		return candidates.get(0);
	}

	private static long ceil(long value, long unit) {
		return -Math.floorDiv(-value, unit) * unit;
	}

	private static String cursor(SeriesKey key, long start) {
		return Cursors.encode(WINDOWS, key.metric(), key.kind(), text(key.size()), text(key.advance()), text(key.gap()),
				Long.toString(start));
	}

	private static SeriesKey key(List<String> position) {
		try {
			return new SeriesKey(position.get(0), position.get(1), duration(position.get(2)), duration(position.get(3)),
					duration(position.get(4)));
		}
		catch (RuntimeException ex) {
			throw ApiException.invalidParameter("cursor", "is not a cursor of this listing");
		}
	}

	private static long parseLong(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw ApiException.invalidParameter("cursor", "is not a cursor of this listing");
		}
	}

	private static String text(Duration duration) {
		return (duration != null) ? duration.toString() : "";
	}

	private static Duration duration(String text) {
		return text.isEmpty() ? null : Duration.parse(text);
	}

	/**
	 * The body of {@code GET /api/v1/sensors/{sensorId}/aggregates} without {@code bin}.
	 *
	 * @param sensorId the sensor
	 * @param metric the metric asked for, or absent for all
	 * @param kind the window kind asked for, or absent for all
	 * @param size the window size asked for, or absent for all
	 * @param from the lower bound asked for, if any
	 * @param to the upper bound asked for, if any
	 * @param finalOnly whether only finals were asked for
	 * @param aggregates this page of windows, by series (metric, kind, size) and start
	 * @param next the cursor of the next page, absent on the last
	 */
	record SensorAggregates(String sensorId, String metric, String kind, Duration size, Instant from, Instant to,
			boolean finalOnly, List<WindowAggregate> aggregates, String next) {
	}

	/**
	 * The body of {@code GET /api/v1/sensors/{sensorId}/aggregates?bin=…}.
	 *
	 * @param sensorId the sensor
	 * @param metric the metric
	 * @param kind always tumbling
	 * @param size the size of the windows rolled up
	 * @param bin the bins' length
	 * @param from {@code from} widened to a whole bin, if given
	 * @param to {@code to} widened to a whole bin, if given
	 * @param finalOnly whether only finals were rolled up
	 * @param bins this page of bins, by start; bins without windows are left out
	 * @param next the cursor of the next page, absent on the last
	 */
	record SensorBins(String sensorId, String metric, String kind, Duration size, Duration bin, Instant from,
			Instant to, boolean finalOnly, List<Bin> bins, String next) {
	}

}
