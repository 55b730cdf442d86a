package io.millrace.ingest.events;

import java.util.List;
import java.util.Map;

import io.millrace.ingest.problems.Problems;
import io.millrace.ingest.ratelimit.RateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the events API as an RFC 9457 problem detail with a stable {@code type}.
 */
@RestControllerAdvice
class IngestProblems extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(IngestProblems.class);

	private final IngestMetrics metrics;

	private final IngestProperties properties;

	IngestProblems(IngestMetrics metrics, IngestProperties properties) {
		this.metrics = metrics;
		this.properties = properties;
	}

	@ExceptionHandler
	ProblemDetail invalidEvents(InvalidEventsException ex) {
		this.metrics.rejected("invalid-event", 1);
		this.metrics.badEvents(ex.problems().stream().map(BadEvent::index).distinct().count());
		BadEvent first = ex.problems().get(0);
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-event", "Invalid event",
				first.pointer() + " " + first.reason()
						+ ((ex.problems().size() > 1) ? " (and " + (ex.problems().size() - 1) + " more)" : ""));
		problem.setProperty("errors", ex.problems());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail malformedBody(MalformedBodyException ex) {
		this.metrics.rejected("malformed-json", 1);
		return Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail invalidParameter(InvalidParameterException ex) {
		this.metrics.rejected("invalid-parameter", 1);
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				ex.getMessage());
		problem.setProperty("parameter", ex.parameter());
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooBusy(TooBusyException ex) {
		this.metrics.rejected("too-busy", 1);
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(this.properties.retryAfter().toSeconds()))
			.body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-busy", "Too busy", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rateLimited(RateLimitedException ex) {
		this.metrics.rejected("rate-limited", 1);
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfterSeconds()))
			.body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Rate limited", ex.getMessage()));
	}

	@ExceptionHandler
	ProblemDetail tooLarge(RequestTooLargeException ex) {
		this.metrics.rejected("too-large", 1);
		return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "request-too-large", "Request too large", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail unsupportedEncoding(RequestBodies.UnsupportedContentEncodingException ex) {
		this.metrics.rejected("unsupported-media-type", 1);
		return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-content-encoding",
				"Unsupported content encoding", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail tooManyEvents(TooManyEventsException ex) {
		this.metrics.rejected("too-many-events", 1);
		return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "too-many-events", "Too many events", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> publishFailed(PublishFailedException ex) {
		this.metrics.publishFailed();
		// One line per refused request: during an outage a stack trace each would bury
		// the log.
		logger.warn("Answering 503: {} ({})", ex.getMessage(),
				(ex.getCause() != null) ? ex.getCause().toString() : "timeout");
		ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable",
				"The events were not acknowledged by the broker in time and may not be stored; retry the request.");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(this.properties.retryAfter().toSeconds()))
			.body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		this.metrics.rejected("malformed-json", 1);
		String reason = (ex.getMostSpecificCause() != null) ? ex.getMostSpecificCause().getMessage() : ex.getMessage();
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON",
				"The body is not valid JSON: " + EventBatchReader.firstLine(reason));
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		this.metrics.rejected("unsupported-media-type", 1);
		ProblemDetail problem = Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
				"Unsupported media type",
				"Send events as application/json, application/x-ndjson, application/cloudevents+json or "
						+ "application/cloudevents-batch+json; got " + ex.getContentType());
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).headers(headers).body(problem);
	}

}
