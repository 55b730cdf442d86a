package io.millrace.lakehouse.history;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * {@code GET /api/v1/history/sensors/{sensorId}/aggregates} (scope {@code read}): a
 * sensor's final window aggregates from {@code gold/window_aggregates} over a range of
 * window starts, as the {@code WindowAggregate} contract. serving-api asks it for the
 * part of a series query older than its hot store holds. The range is bounded
 * ({@code millrace.lakehouse.history.max-range}) and so is the answer
 * ({@code max-windows}): a longer range is refused, not truncated silently.
 */
@RestController
class HistoryController {

	private final GoldHistory history;

	private final HistoryProperties properties;

	HistoryController(GoldHistory history, HistoryProperties properties) {
		this.history = history;
		this.properties = properties;
	}

	@GetMapping("/api/v1/history/sensors/{sensorId}/aggregates")
	Map<String, Object> aggregates(@PathVariable String sensorId, @RequestParam(required = false) String metric,
			@RequestParam(required = false) String kind, @RequestParam(required = false) Duration size,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
		if (!from.isBefore(to)) {
			throw new InvalidParameter("to", "'to' (" + to + ") must be after 'from' (" + from + ")");
		}
		if (Duration.between(from, to).compareTo(this.properties.maxRange()) > 0) {
			throw new InvalidParameter("to", "The range " + from + " to " + to + " is longer than "
					+ this.properties.maxRange() + " (millrace.lakehouse.history.max-range); split it");
		}
		int limit = this.properties.maxWindows();
		List<WindowAggregate> windows = this.history
			.windows(new GoldHistory.HistoryQuery(sensorId, metric, kind, size, from, to, limit + 1));
		if (windows.size() > limit) {
			throw new InvalidParameter("to", "More than " + limit + " windows match (millrace.lakehouse.history"
					+ ".max-windows); narrow the range or choose a metric, kind and size");
		}
		return Map.of("sensorId", sensorId, "from", from, "to", to, "windows", windows);
	}

	@ExceptionHandler(InvalidParameter.class)
	ResponseEntity<ProblemDetail> invalid(InvalidParameter ex) {
		return problem(ex.parameter, ex.getMessage());
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException ex) {
		return problem(ex.getParameterName(), "'" + ex.getParameterName() + "' is required (RFC 3339)");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException ex) {
		return problem(ex.getName(), "'" + ex.getName() + "' is not valid: " + ex.getValue()
				+ " (times are RFC 3339 such as 2026-03-01T00:00:00Z, sizes ISO-8601 such as PT1M)");
	}

	private static ResponseEntity<ProblemDetail> problem(String parameter, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setType(URI.create("https://millrace.io/problems/invalid-parameter"));
		problem.setTitle("Invalid parameter");
		problem.setProperty("parameter", parameter);
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static final class InvalidParameter extends RuntimeException {

		private final String parameter;

		InvalidParameter(String parameter, String detail) {
			super(detail);
			this.parameter = parameter;
		}

	}

}
