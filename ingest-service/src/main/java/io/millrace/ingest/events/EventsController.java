package io.millrace.ingest.events;

import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.millrace.ingest.ratelimit.ClientRateLimits;
import io.millrace.model.telemetry.TelemetryEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/events}: one TelemetryEvent, a JSON array of them, or NDJSON, plain
 * or gzip-compressed. The answer is {@code 202} with the ids in request order once the
 * broker acknowledged every accepted event. With {@code ?invalid=reject} (the default) a
 * request with any bad event publishes nothing and gets one {@code 400} listing every bad
 * event; with {@code ?invalid=skip} the good events are published and the bad ones listed
 * in the {@code 202}.
 */
@RestController
@RequestMapping("/api/v1/events")
class EventsController {

	static final String NDJSON = "application/x-ndjson";

	private static final MediaType NDJSON_TYPE = MediaType.parseMediaType(NDJSON);

	private static final MediaType CLOUDEVENT_TYPE = MediaType.parseMediaType(CloudEventEnvelopes.STRUCTURED);

	private static final MediaType CLOUDEVENTS_BATCH_TYPE = MediaType.parseMediaType(CloudEventEnvelopes.BATCH);

	private final EventBatchReader reader;

	private final TelemetryPublisher publisher;

	private final ClientRateLimits rateLimits;

	private final IngestMetrics metrics;

	private final IngestProperties properties;

	private final InFlightBytes inFlight;

	private final UuidV7 ids;

	private final Clock clock;

	EventsController(IngestProperties properties, TelemetryPublisher publisher, IngestMetrics metrics,
			ClientRateLimits rateLimits) {
		this.reader = new EventBatchReader(properties.maxEventsPerRequest());
		this.publisher = publisher;
		this.rateLimits = rateLimits;
		this.metrics = metrics;
		this.properties = properties;
		this.inFlight = new InFlightBytes(properties.maxInFlightBytes().toBytes());
		metrics.inFlightBytes(this.inFlight::held);
		this.clock = Clock.systemUTC();
		this.ids = new UuidV7(this.clock);
	}

	@PostMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, NDJSON, CloudEventEnvelopes.STRUCTURED,
			CloudEventEnvelopes.BATCH }, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Send events",
			description = "One TelemetryEvent (schema at /api/v1/schemas/telemetry-event), a JSON array of them, "
					+ "NDJSON, or CloudEvents 1.0 (structured or batch mode) whose data is a TelemetryEvent; "
					+ "Content-Encoding: gzip is accepted.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE), @Content(mediaType = NDJSON),
							@Content(mediaType = CloudEventEnvelopes.STRUCTURED),
							@Content(mediaType = CloudEventEnvelopes.BATCH) }))
	@ApiResponse(responseCode = "202", description = "Every accepted event is acknowledged by the broker")
	@ApiResponse(responseCode = "400", description = "Malformed body, or bad events (each listed)",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "413", description = "Too many events or bytes",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "415", description = "Unsupported media type or content encoding",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "401", description = "No API key or token, or one that was refused",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "403", description = "The credentials lack the events:write scope",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "429",
			description = "The client is over its rate limit, or the instance holds its limit of request bytes; "
					+ "retry after Retry-After",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "503", description = "The broker did not acknowledge in time; retry after Retry-After",
			content = @Content(mediaType = "application/problem+json"))
	Accepted post(HttpServletRequest request, Principal caller,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
			@Parameter(description = "reject (default): a bad event rejects the whole request; "
					+ "skip: publish the good events and list the bad ones") @RequestParam(name = "invalid",
							defaultValue = "reject") String invalid)
			throws IOException {
		InvalidPolicy policy = InvalidPolicy.of(invalid);
		long maxBytes = this.properties.maxBytesPerRequest().toBytes();
		long announced = request.getContentLengthLong();
		String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		if (announced > maxBytes && encoding == null) {
			throw new RequestTooLargeException(maxBytes);
		}
		// Until the body is read, hold what it may grow to: its length, or for a
		// compressed
		// body twenty times that (JSON rarely compresses better), at most the limit.
		long held = (announced < 0) ? maxBytes : Math.min(maxBytes, (encoding != null) ? 20 * announced : announced);
		if (!this.inFlight.tryAcquire(held)) {
			throw new TooBusyException(this.properties.maxInFlightBytes().toBytes());
		}
		try {
			byte[] body = RequestBodies.read(request.getInputStream(), encoding, maxBytes);
			this.inFlight.release(held - body.length);
			held = body.length;
			return accept(caller, body, contentType, policy);
		}
		finally {
			this.inFlight.release(held);
		}
	}

	private Accepted accept(Principal caller, byte[] body, MediaType contentType, InvalidPolicy policy) {
		this.metrics.received(body.length);
		EventBatchReader.Items items = parse(body, contentType);
		EventBatchReader.Outcome outcome = this.reader.read(items, policy == InvalidPolicy.SKIP);
		if (!outcome.events().isEmpty()) {
			this.rateLimits.acquire(caller.getName(), outcome.events().size());
		}
		List<TelemetryEvent> events = outcome.events()
			.stream()
			.map((event) -> event.stamped(this.ids.next().toString(), this.clock.instant()))
			.toList();
		List<Object> payloads = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			payloads.add(UnknownFields.keep(events.get(i), outcome.sent().get(i)));
		}
		long started = System.nanoTime();
		this.publisher.publish(events, payloads);
		this.metrics.published(System.nanoTime() - started);
		this.metrics.accepted(events.size());
		this.metrics.acceptedBytes(body.length);
		this.metrics.badEvents(outcome.bad().stream().map(BadEvent::index).distinct().count());
		List<String> eventIds = new ArrayList<>();
		events.forEach((event) -> eventIds.add(event.eventId()));
		return new Accepted(events.size(), eventIds, outcome.indexes(), outcome.bad().isEmpty() ? null : outcome.bad());
	}

	private EventBatchReader.Items parse(byte[] body, MediaType contentType) {
		if (contentType.isCompatibleWith(NDJSON_TYPE)) {
			return this.reader.parseNdjson(body);
		}
		boolean batchMode = contentType.isCompatibleWith(CLOUDEVENTS_BATCH_TYPE);
		if (batchMode || contentType.isCompatibleWith(CLOUDEVENT_TYPE)) {
			return CloudEventEnvelopes.open(this.reader.parseJson(body), batchMode);
		}
		return this.reader.parseJson(body);
	}

	/** What to do with a request in which some events are bad. */
	enum InvalidPolicy {

		/** Publish nothing; answer 400 listing every bad event. */
		REJECT,

		/** Publish the good events; list the bad ones in the 202. */
		SKIP;

		static InvalidPolicy of(String value) {
			return switch (value.trim().toLowerCase()) {
				case "reject" -> REJECT;
				case "skip" -> SKIP;
				default -> throw new InvalidParameterException("invalid",
						"must be 'reject' (the default) or 'skip', got '" + value + "'");
			};
		}

	}

	/**
	 * The body of a {@code 202}.
	 *
	 * @param accepted how many events the broker acknowledged
	 * @param eventIds their ids, in request order
	 * @param indexes the position in the request of each accepted event
	 * @param rejected with {@code ?invalid=skip}, every problem of the events left out
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Accepted(int accepted, List<String> eventIds, List<Integer> indexes, List<BadEvent> rejected) {
	}

}
