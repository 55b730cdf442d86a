package io.millrace.serving.api;

import java.net.URI;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the query API as an RFC 9457 problem detail with a stable {@code type}.
 * A bad query parameter is a 400 {@code invalid-parameter} whose {@code parameter} member
 * names it (also when Spring could not convert it, for example a time that is not RFC
 * 3339).
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

	static final String TYPE_BASE = "https://millrace.io/problems/";

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> api(ApiException ex) {
		ProblemDetail problem = problem(ex.status(), ex.type(), ex.title(), ex.getMessage(), ex.parameter());
		ex.properties().forEach(problem::setProperty);
		return answer(ex.status(), problem);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException argument) ? argument.getName()
				: ex.getPropertyName();
		String detail = "'" + name + "': '" + ex.getValue() + "' is not " + expected(ex.getRequiredType());
		return answer(HttpStatus.BAD_REQUEST,
				problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", detail, name));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String name = ex.getParameterName();
		return answer(HttpStatus.BAD_REQUEST, problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				"'" + name + "' is required", name));
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "valid";
		}
		return switch (type.getSimpleName()) {
			case "Instant" -> "an RFC 3339 time such as 2026-11-25T10:00:00Z";
			case "Duration" -> "an ISO-8601 duration such as PT5M";
			case "Integer", "int", "Long", "long" -> "a whole number";
			case "Boolean", "boolean" -> "true or false";
			default -> "a valid " + type.getSimpleName();
		};
	}

	static ProblemDetail problem(HttpStatus status, String type, String title, String detail, String parameter) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		if (parameter != null) {
			problem.setProperty("parameter", parameter);
		}
		return problem;
	}

	@SuppressWarnings("unchecked")
	private static <T> ResponseEntity<T> answer(HttpStatus status, ProblemDetail problem) {
		return (ResponseEntity<T>) ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
