package io.millrace.serving.sensors;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.serving.aggregates.AggregateStore;
import io.millrace.serving.aggregates.AggregateStore.SensorSummary;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sensors and their window aggregates, as served from memory. */
@RestController
@RequestMapping("/api/v1/sensors")
class SensorsController {

	private static final String TYPE_BASE = "https://millrace.io/problems/";

	private final AggregateStore store;

	SensorsController(AggregateStore store) {
		this.store = store;
	}

	@GetMapping
	Sensors sensors() {
		return new Sensors(this.store.sensors());
	}

	@GetMapping("/{sensorId}/aggregates")
	SensorAggregates aggregates(@PathVariable String sensorId, @RequestParam(required = false) String metric,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
		if (from != null && to != null && !from.isBefore(to)) {
			throw problem(HttpStatus.BAD_REQUEST, "invalid-time-range", "Invalid time range",
					"'from' (" + from + ") must be before 'to' (" + to + ")");
		}
		List<WindowAggregate> aggregates = this.store.aggregates(sensorId, metric, from, to)
			.orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "unknown-sensor", "Unknown sensor",
					"No aggregates for sensor '" + sensorId + "'"));
		return new SensorAggregates(sensorId, metric, from, to, aggregates);
	}

	private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

	/**
	 * The body of {@code GET /api/v1/sensors}.
	 *
	 * @param sensors every known sensor, by id
	 */
	record Sensors(List<SensorSummary> sensors) {
	}

	/**
	 * The body of {@code GET /api/v1/sensors/{sensorId}/aggregates}.
	 *
	 * @param sensorId the sensor
	 * @param metric the metric asked for, or absent for all
	 * @param from the lower bound asked for, if any
	 * @param to the upper bound asked for, if any
	 * @param aggregates matching aggregates by metric and window start
	 */
	record SensorAggregates(String sensorId, String metric, Instant from, Instant to,
			List<WindowAggregate> aggregates) {
	}

}
