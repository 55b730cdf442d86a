package io.millrace.alerting.api;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the alerting API as an RFC 9457 problem detail with a stable
 * {@code type}; a 400 lists what is wrong as {@code errors: [{field, message}]}, each
 * field a JSON pointer into the request body, JSON that does not parse or has a value of
 * the wrong type included.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

	static final String TYPE_BASE = "https://millrace.io/problems/";

	private static final Logger logger = LoggerFactory.getLogger(ApiProblems.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> api(ApiException ex) {
		return answer(problem(ex.status(), ex.type(), ex.title(), ex.getMessage(), ex.errors()));
	}

	/** Two writers met between our read and our write: the client's copy is stale. */
	@ExceptionHandler(PreconditionFailedException.class)
	ResponseEntity<ProblemDetail> conflict(PreconditionFailedException ex) {
		return answer(problem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed",
				"The definition was changed by someone else meanwhile: GET it again and retry", List.of()));
	}

	@ExceptionHandler(StorageException.class)
	ResponseEntity<ProblemDetail> storage(StorageException ex) {
		logger.warn("Alerting API: storage failed", ex);
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable",
				"The catalog's storage cannot be reached; evaluation goes on with the last definitions read. "
						+ "Retry later",
				List.of());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		FieldError error = fieldError(ex.getCause());
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-json", "Invalid JSON",
				"The request body is not a valid definition: " + error.field() + " " + error.message(), List.of(error));
		return ResponseEntity.badRequest().body(problem);
	}

	/** Where Jackson stopped, as a JSON pointer, and why in words. */
	static FieldError fieldError(Throwable cause) {
		if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
			StringBuilder pointer = new StringBuilder();
			for (JsonMappingException.Reference reference : mapping.getPath()) {
				pointer.append('/')
					.append((reference.getFieldName() != null)
							? reference.getFieldName().replace("~", "~0").replace("/", "~1")
							: Integer.toString(reference.getIndex()));
			}
			return new FieldError(pointer.toString(), reason(mapping));
		}
		if (cause instanceof JsonProcessingException processing) {
			return new FieldError("",
					"is not valid JSON: " + processing.getOriginalMessage()
							+ ((processing.getLocation() != null) ? " at line " + processing.getLocation().getLineNr()
									+ ", column " + processing.getLocation().getColumnNr() : ""));
		}
		return new FieldError("", "is missing or not JSON");
	}

	private static String reason(JsonMappingException mapping) {
		if (mapping instanceof UnrecognizedPropertyException) {
			return "is not a known field";
		}
		// A value our own parsers refused (an unknown operator or kind): their message
		// says what is accepted.
		Throwable root = mapping;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root instanceof IllegalArgumentException) {
			return root.getMessage();
		}
		String message = mapping.getOriginalMessage();
		// Jackson names Java types and positions; the first clause is the useful one.
		int end = message.indexOf('\n');
		return "has the wrong type or value: " + ((end > 0) ? message.substring(0, end) : message);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail,
			List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors);
		}
		return problem;
	}

	private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
