package io.millrace.serving.live;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.api.ApiException;
import io.millrace.serving.store.StoredWindow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Server-Sent Events of window aggregates as the store takes them in. */
@RestController
class LiveController {

	static final String STREAM_PATH = "/api/v1/stream";

	private static final String AGGREGATES = "aggregates";

	private static final String ALERTS = "alerts";

	private final LiveFeed feed;

	private final ServingProperties properties;

	private final AggregateJson json;

	LiveController(LiveFeed feed, ServingProperties properties, ObjectMapper json) {
		this.feed = feed;
		this.properties = properties;
		this.json = new AggregateJson(json);
	}

	@Operation(summary = "Live aggregates and alerts (Server-Sent Events)",
			description = "Events 'aggregate' (data: a WindowAggregate) for every window the store takes in or revises, "
					+ "filtered by sensor, metric and kind (each repeatable). Event ids are '<epoch>-<sequence>', "
					+ "increasing within a stream. Reconnect with Last-Event-ID (or ?last-event-id=) to resume: "
					+ "every window changed since is sent, in its newest version. When that cannot be exact (the id "
					+ "is older than evicted windows, from another instance or from before a restart) a 'gap' event "
					+ "comes first: re-read what you need with the query API. With include=alerts (or "
					+ "include=aggregates,alerts) events 'alert' (data: an AlertEvent) come too, one per alert state "
					+ "change taken in from the alerts topic, filtered by 'sensor' only; event ids are then "
					+ "'<epoch>-<sequence>-<alert sequence>' and resuming sends every alert change after it that is "
					+ "still within millrace.serving.alerts.retention. A browser's EventSource, which cannot send "
					+ "headers, authenticates with ?ticket= from POST /api/v1/stream/tickets.")
	@GetMapping(path = STREAM_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(
			@Parameter(description = "sensor ids, repeatable") @RequestParam(required = false) List<String> sensor,
			@Parameter(description = "metrics, repeatable") @RequestParam(required = false) List<String> metric,
			@Parameter(description = "window kinds, repeatable") @RequestParam(required = false) List<String> kind,
			@Parameter(description = "only final results") @RequestParam(name = "final-only",
					defaultValue = "false") boolean finalOnly,
			@Parameter(description = "what to stream: aggregates (default), alerts, or both (comma-separated or "
					+ "repeated)") @RequestParam(required = false) List<String> include,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
			@Parameter(description = "as the Last-Event-ID header, for clients that cannot set it") @RequestParam(
					name = "last-event-id", required = false) String lastEventIdParameter,
			@Parameter(description = "a ticket from POST /api/v1/stream/tickets, instead of credentials in "
					+ "headers (redeemed before this answers)") @RequestParam(required = false) String ticket,
			HttpServletResponse response) {
		// Nothing between here and the client may cache or buffer the stream (nginx
		// honours
		// X-Accel-Buffering).
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setHeader("X-Accel-Buffering", "no");
		String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
		long timeout = this.properties.live().timeout().toMillis();
		SseEmitter emitter = new SseEmitter((timeout > 0) ? timeout : -1L);
		Set<String> included = included(include);
		LiveFeed.Filter filter = new LiveFeed.Filter(set(sensor), set(metric), set(kind), finalOnly,
				included.contains(AGGREGATES), included.contains(ALERTS));
		LiveFeed.Subscription subscription;
		try {
			subscription = this.feed.subscribe(filter, lastEventId, new EmitterSink(emitter, this.json));
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.invalidParameter((lastEventIdHeader != null) ? "Last-Event-ID" : "last-event-id",
					ex.getMessage());
		}
		catch (LiveFeed.TooManyStreamsException ex) {
			throw ApiException.tooManyStreams(ex.getMessage());
		}
		emitter.onCompletion(subscription::close);
		emitter.onTimeout(subscription::close);
		emitter.onError((ex) -> subscription.close());
		return emitter;
	}

	private static Set<String> included(List<String> include) {
		if (include == null || include.isEmpty()) {
			return Set.of(AGGREGATES);
		}
		for (String value : include) {
			if (!value.equals(AGGREGATES) && !value.equals(ALERTS)) {
				throw ApiException.invalidParameter("include",
						"'" + value + "' is not one of aggregates, alerts (comma-separated)");
			}
		}
		return Set.copyOf(include);
	}

	private static Set<String> set(List<String> values) {
		return (values != null) ? Set.copyOf(values) : Set.of();
	}

	private static final class EmitterSink implements LiveFeed.Sink {

		private final SseEmitter emitter;

		private final AggregateJson json;

		EmitterSink(SseEmitter emitter, AggregateJson json) {
			this.emitter = emitter;
			this.json = json;
			try {
				emitter.send(SseEmitter.event().reconnectTime(1000).comment("millrace live"));
			}
			catch (IOException ex) {
				// the first write happens once the response starts; an error surfaces
				// there
			}
		}

		@Override
		public void aggregate(String id, WindowAggregate aggregate) throws IOException {
			this.emitter.send(SseEmitter.event().id(id).name("aggregate").data(aggregate, MediaType.APPLICATION_JSON));
		}

		@Override
		public void aggregate(String id, StoredWindow window) throws IOException {
			// The same text for every stream (a String is written as it is).
			this.emitter.send(SseEmitter.event().id(id).name("aggregate").data(this.json.of(window)));
		}

		@Override
		public void alert(String id, AlertEvent alert) throws IOException {
			this.emitter.send(SseEmitter.event().id(id).name("alert").data(alert, MediaType.APPLICATION_JSON));
		}

		@Override
		public void gap(String reason, String lastEventId) throws IOException {
			this.emitter.send(SseEmitter.event()
				.id(lastEventId)
				.name("gap")
				.data(Map.of("reason", reason, "resumesAfter", lastEventId), MediaType.APPLICATION_JSON));
		}

		@Override
		public void heartbeat() throws IOException {
			this.emitter.send(SseEmitter.event().comment("keep-alive"));
		}

		@Override
		public void close() {
			this.emitter.complete();
		}

	}

}
