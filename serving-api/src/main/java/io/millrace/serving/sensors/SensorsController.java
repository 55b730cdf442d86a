package io.millrace.serving.sensors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.api.Cursors;
import io.millrace.serving.store.Series;
import io.millrace.serving.store.StoredSensor;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sensors in the hot store: a paged list, and one sensor's detail. */
@RestController
@RequestMapping("/api/v1/sensors")
class SensorsController {

	private static final String CURSOR = "sensors";

	private final WindowStore store;

	private final ServingProperties properties;

	private final ObjectProvider<SensorDirectory> directory;

	SensorsController(WindowStore store, ServingProperties properties, ObjectProvider<SensorDirectory> directory) {
		this.store = store;
		this.properties = properties;
		this.directory = directory;
	}

	@Operation(summary = "List sensors by id",
			description = "Sensors with at least one window in memory, by id, with when each was last seen and its "
					+ "newest window and value per metric. Pages by 'limit' and 'cursor' (the 'next' of the previous "
					+ "page).")
	@GetMapping
	Sensors sensors(
			@Parameter(description = "only ids starting with this") @RequestParam(required = false) String prefix,
			@Parameter(description = "key:value; repeat for several (all must match). Needs the sensor registry: "
					+ "501 without it") @RequestParam(required = false) List<String> tag,
			@Parameter(description = "only sensors whose newest window ends at or after this") @RequestParam(
					name = "seen-since",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant seenSince,
			@Parameter(description = "page size (default 100, at most millrace.serving.api.max-limit)") @RequestParam(
					required = false) Integer limit,
			@Parameter(description = "'next' of the previous page") @RequestParam(required = false) String cursor) {
		SensorDirectory sensors = this.directory.getIfAvailable(() -> SensorDirectory.NONE);
		List<TagFilter> tags = TagFilter.parse(tag, sensors);
		int size = Cursors.limit(limit, this.properties.api().defaultLimit(), this.properties.api().maxLimit());
		List<String> position = Cursors.decode(CURSOR, cursor, 1);
		String after = (position != null) ? position.get(0) : null;
		long seen = (seenSince != null) ? seenSince.toEpochMilli() : Long.MIN_VALUE;
		List<SensorSummary> page = new ArrayList<>();
		String next = null;
		for (StoredSensor sensor : this.store.sensors(prefix, after)) {
			if (sensor.lastSeenMillis() < seen || !sensors.hasTags(sensor.sensorId(), tags)) {
				continue;
			}
			if (page.size() == size) {
				next = Cursors.encode(CURSOR, page.get(page.size() - 1).sensorId());
				break;
			}
			page.add(summary(sensor));
		}
		return new Sensors(page, next);
	}

	@Operation(summary = "One sensor",
			description = "When it was last seen, its newest window and value per metric, every series in memory "
					+ "(metric and window definition, how many windows, oldest and newest start) and its registered "
					+ "metadata when the sensor registry knows it.")
	@GetMapping("/{sensorId}")
	SensorDetail sensor(@PathVariable String sensorId) {
		StoredSensor sensor = this.store.sensor(sensorId);
		if (sensor == null) {
			throw ApiException.unknownSensor(sensorId);
		}
		SensorDirectory sensors = this.directory.getIfAvailable(() -> SensorDirectory.NONE);
		List<SeriesSummary> series = new ArrayList<>();
		for (Series one : sensor.series()) {
			var windows = one.windows();
			if (windows.isEmpty()) {
				continue;
			}
			series.add(new SeriesSummary(one.key().metric(), one.key().kind(), one.key().size(), one.key().advance(),
					one.key().gap(), windows.size(), Instant.ofEpochMilli(windows.firstKey()),
					Instant.ofEpochMilli(windows.lastKey())));
		}
		SensorSummary summary = summary(sensor);
		Map<String, String> tags = sensors.knowsTags() ? sensors.tags(sensorId) : null;
		return new SensorDetail(sensorId, summary.lastSeen(), summary.values(), summary.latest(), series, tags,
				sensors.metadata(sensorId).orElse(null));
	}

	private static SensorSummary summary(StoredSensor sensor) {
		Map<String, WindowAggregate> latest = new LinkedHashMap<>();
		Map<String, Double> values = new LinkedHashMap<>();
		sensor.latestByMetric().forEach((metric, window) -> {
			WindowAggregate aggregate = window.toAggregate();
			latest.put(metric, aggregate);
			values.put(metric, (aggregate.lastValue() != null) ? aggregate.lastValue() : aggregate.avg());
		});
		Instant lastSeen = (sensor.lastSeenMillis() != Long.MIN_VALUE) ? Instant.ofEpochMilli(sensor.lastSeenMillis())
				: null;
		return new SensorSummary(sensor.sensorId(), lastSeen, values, latest);
	}

	/**
	 * The body of {@code GET /api/v1/sensors}.
	 *
	 * @param sensors this page of sensors, by id
	 * @param next the cursor of the next page, absent on the last
	 */
	record Sensors(List<SensorSummary> sensors, String next) {
	}

	/**
	 * A sensor in a list.
	 *
	 * @param sensorId the sensor
	 * @param lastSeen end of its newest window (event time)
	 * @param values its latest value per metric: the last reading of its newest window
	 * (the window's average when the last reading is not computed)
	 * @param latest its newest window aggregate per metric
	 */
	record SensorSummary(String sensorId, Instant lastSeen, Map<String, Double> values,
			Map<String, WindowAggregate> latest) {
	}

	/**
	 * The body of {@code GET /api/v1/sensors/{sensorId}}.
	 *
	 * @param sensorId the sensor
	 * @param lastSeen end of its newest window
	 * @param values latest value per metric
	 * @param latest newest window per metric
	 * @param series its series in memory
	 * @param tags its tags, when the registry knows them
	 * @param metadata its registered metadata, when the registry knows it
	 */
	record SensorDetail(String sensorId, Instant lastSeen, Map<String, Double> values,
			Map<String, WindowAggregate> latest, List<SeriesSummary> series, Map<String, String> tags,
			Map<String, Object> metadata) {
	}

	/**
	 * One series of a sensor.
	 *
	 * @param metric the metric
	 * @param kind the window kind
	 * @param size window size, when the kind has one
	 * @param advance hop (hopping)
	 * @param gap inactivity gap (session)
	 * @param windows how many windows are in memory
	 * @param oldest start of the oldest
	 * @param newest start of the newest
	 */
	record SeriesSummary(String metric, String kind, Duration size, Duration advance, Duration gap, int windows,
			Instant oldest, Instant newest) {
	}

}
