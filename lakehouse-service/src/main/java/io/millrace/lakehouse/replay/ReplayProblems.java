package io.millrace.lakehouse.replay;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The replay API's errors as RFC 9457 problem details with a stable {@code type}: a body
 * that is not JSON or has a time that is not RFC 3339 is {@code invalid-replay} too.
 */
@RestControllerAdvice(assignableTypes = ReplayController.class)
class ReplayProblems {

	static final String TYPE_BASE = "https://millrace.io/problems/";

	@ExceptionHandler(ReplayException.class)
	ResponseEntity<ProblemDetail> replay(ReplayException ex) {
		return answer(ex.status(), ex.type(), ex.title(), ex.getMessage(), ex.parameter());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex) {
		return answer(HttpStatus.BAD_REQUEST, "invalid-replay", "Invalid replay request",
				"The body must be a JSON object {from, to, sensors?, targetTopic?, ratePerSecond?} with RFC 3339 times"
						+ " such as 2026-03-01T00:00:00Z",
				null);
	}

	private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String type, String title, String detail,
			String parameter) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		if (parameter != null) {
			problem.setProperty("parameter", parameter);
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
