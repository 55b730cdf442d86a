package io.millrace.lakehouse.replay;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/replays}: start a replay of Bronze to a topic ({@code POST}, scope
 * {@code admin}), follow it ({@code GET}, {@code read}), cancel it ({@code DELETE},
 * {@code admin}).
 */
@RestController
@RequestMapping("/api/v1/replays")
class ReplayController {

	private static final int MAX_SENSOR_SELECTORS = 1000;

	private final ReplayJobs jobs;

	private final ReplayProperties properties;

	private final Set<String> ownOutputs;

	ReplayController(ReplayJobs jobs, ReplayProperties properties,
			@Value(ReplayConfiguration.DEAD_LETTER_TOPIC) String deadLetters) {
		this.jobs = jobs;
		this.properties = properties;
		this.ownOutputs = ReplayConfiguration.ownOutputs(deadLetters);
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> start(@RequestBody ReplayRequest request) {
		if (request.from() == null) {
			throw ReplayException.invalid("from", "'from' is required: the first event time to replay (RFC 3339)");
		}
		if (request.to() == null) {
			throw ReplayException.invalid("to", "'to' is required: the end of the range, exclusive (RFC 3339)");
		}
		if (!request.from().isBefore(request.to())) {
			throw ReplayException.invalid("to",
					"'to' (" + request.to() + ") must be after 'from' (" + request.from() + ")");
		}
		if (Duration.between(request.from(), request.to()).compareTo(this.properties.maxRange()) > 0) {
			throw ReplayException.invalid("to", "The range " + request.from() + " to " + request.to()
					+ " is longer than the longest allowed (" + this.properties.maxRange() + "); split it");
		}
		List<String> sensors = (request.sensors() != null) ? request.sensors() : List.of();
		if (sensors.size() > MAX_SENSOR_SELECTORS || sensors.stream().anyMatch((s) -> s == null || s.isBlank())) {
			throw ReplayException.invalid("sensors",
					"'sensors' takes up to " + MAX_SENSOR_SELECTORS + " non-blank sensor ids or patterns");
		}
		String topic = (request.targetTopic() != null) ? request.targetTopic().strip() : "telemetry-raw";
		if (this.ownOutputs.contains(topic)) {
			throw new ReplayException(HttpStatus.BAD_REQUEST, "replay-target-refused", "Replay target refused",
					"'" + topic + "' is an output of lakehouse-service itself; a replay may publish to "
							+ this.properties.allowedTopics(),
					"targetTopic");
		}
		if (!this.properties.allowedTopics().contains(topic)) {
			throw new ReplayException(HttpStatus.BAD_REQUEST, "unknown-topic", "Unknown target topic",
					"'" + topic + "' is not a topic replays may publish to; allowed: " + this.properties.allowedTopics()
							+ " (millrace.lakehouse.replay.allowed-topics)",
					"targetTopic");
		}
		int rate = (request.ratePerSecond() != null) ? request.ratePerSecond() : this.properties.defaultRatePerSecond();
		if (rate < 1 || rate > this.properties.maxRatePerSecond()) {
			throw ReplayException.invalid("ratePerSecond",
					"'ratePerSecond' must be between 1 and " + this.properties.maxRatePerSecond() + ", was " + rate);
		}
		ReplayJob job = this.jobs.start(request, topic, rate);
		return ResponseEntity.accepted().location(URI.create("/api/v1/replays/" + job.id())).body(view(job));
	}

	@GetMapping
	Map<String, Object> list() {
		return Map.of("replays", this.jobs.list().stream().map(ReplayController::view).toList());
	}

	@GetMapping("/{id}")
	Map<String, Object> get(@PathVariable String id) {
		return view(find(id));
	}

	@DeleteMapping("/{id}")
	Map<String, Object> cancel(@PathVariable String id) {
		ReplayJob job = find(id);
		if (!this.jobs.cancel(job)) {
			throw new ReplayException(HttpStatus.CONFLICT, "replay-finished", "Replay already finished",
					"Replay " + id + " has already finished (" + job.state().name().toLowerCase() + ")", null);
		}
		return view(job);
	}

	private ReplayJob find(String id) {
		return this.jobs.get(id)
			.orElseThrow(() -> new ReplayException(HttpStatus.NOT_FOUND, "replay-not-found", "Replay not found",
					"No replay " + id + " (finished replays are kept for a while, then forgotten)", null));
	}

	static Map<String, Object> view(ReplayJob job) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", job.id());
		view.put("state", job.state().name().toLowerCase());
		view.put("from", job.from());
		view.put("to", job.to());
		view.put("sensors", job.sensors());
		view.put("targetTopic", job.targetTopic());
		view.put("ratePerSecond", job.ratePerSecond());
		view.put("tableVersion", job.tableVersion());
		view.put("total", job.total());
		view.put("published", job.published());
		view.put("errors", job.errors());
		view.put("createdAt", job.createdAt());
		view.put("startedAt", job.startedAt());
		view.put("finishedAt", job.finishedAt());
		Instant start = job.startedAt();
		if (start != null) {
			Instant end = (job.finishedAt() != null) ? job.finishedAt() : Instant.now();
			view.put("elapsedSeconds", Duration.between(start, end).toMillis() / 1000.0);
		}
		return view;
	}

}
