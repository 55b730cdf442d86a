package io.millrace.ingest.events;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.telemetry.TelemetryEvent;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/events}: one TelemetryEvent or a JSON array of them. The answer is
 * {@code 202} with the ids in request order once the broker acknowledged every event; a
 * request with any invalid event publishes nothing.
 */
@RestController
@RequestMapping("/api/v1/events")
class EventsController {

	private final EventBatchReader reader;

	private final TelemetryPublisher publisher;

	private final IngestMetrics metrics;

	private final UuidV7 ids;

	private final Clock clock;

	EventsController(IngestProperties properties, StreamBridge bridge, IngestMetrics metrics) {
		this.reader = new EventBatchReader(properties.maxEventsPerRequest());
		this.publisher = new TelemetryPublisher(bridge);
		this.metrics = metrics;
		this.clock = Clock.systemUTC();
		this.ids = new UuidV7(this.clock);
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted post(@RequestBody JsonNode body) {
		List<TelemetryEvent> events = this.reader.read(body)
			.stream()
			.map((event) -> event.stamped(this.ids.next().toString(), this.clock.instant()))
			.toList();
		this.publisher.publish(events);
		this.metrics.accepted(events.size());
		return new Accepted(events.size(), events.stream().map(TelemetryEvent::eventId).toList());
	}

	/**
	 * The body of a {@code 202}.
	 *
	 * @param accepted how many events the broker acknowledged
	 * @param eventIds their ids, in request order
	 */
	record Accepted(int accepted, List<String> eventIds) {
	}

}
