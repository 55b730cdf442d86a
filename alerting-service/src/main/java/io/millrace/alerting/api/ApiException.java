package io.millrace.alerting.api;

import java.util.List;

import io.millrace.alerting.lifecycle.FieldError;

import org.springframework.http.HttpStatus;

/**
 * An answer other than success from the alerting API, as a problem detail: each factory
 * is one kind of problem with its own stable {@code type}
 * ({@code https://millrace.io/problems/<type>}).
 */
public final class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final List<FieldError> errors;

	private ApiException(HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.errors = List.copyOf(errors);
	}

	/**
	 * A definition that does not validate.
	 * @param what for example {@code rule pump-hot}
	 * @param errors what is wrong, by JSON pointer
	 * @return the problem
	 */
	public static ApiException invalid(String what, List<FieldError> errors) {
		return new ApiException(
				HttpStatus.BAD_REQUEST, "invalid-definition", "Invalid definition", "The " + what + " is invalid: "
						+ errors.size() + " error(s), first " + errors.get(0).field() + " " + errors.get(0).message(),
				errors);
	}

	/**
	 * A query parameter out of range.
	 * @param type the stable last segment of the type URI, for example
	 * {@code invalid-time-range}
	 * @param title the short, stable summary
	 * @param detail this occurrence, in words
	 * @return the problem
	 */
	public static ApiException invalidQuery(String type, String title, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, type, title, detail, List.of());
	}

	/**
	 * Something the API does not know, with its own type.
	 * @param type the stable last segment of the type URI, for example
	 * {@code unknown-notification}
	 * @param title the short, stable summary
	 * @param detail this occurrence, in words
	 * @return the problem
	 */
	public static ApiException unknown(String type, String title, String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, type, title, detail, List.of());
	}

	/**
	 * A webhook URL the SSRF guard refuses.
	 * @param reason the guard's reason code
	 * @param detail the guard's explanation
	 * @return the problem
	 */
	public static ApiException targetRefused(String reason, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, "webhook-target-refused", "Webhook URL refused",
				detail + " (" + reason + ")", List.of(new FieldError("/url", detail)));
	}

	/**
	 * @param what for example {@code Rule pump-hot}
	 * @return the problem
	 */
	public static ApiException notFound(String what) {
		return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist", List.of());
	}

	/**
	 * @param what for example {@code Rule pump-hot}
	 * @return the problem
	 */
	public static ApiException alreadyExists(String what) {
		return new ApiException(HttpStatus.CONFLICT, "already-exists", "Already exists",
				what + " exists already; PUT it with If-Match to replace it", List.of());
	}

	/**
	 * A change to what configuration defines.
	 * @param what for example {@code Subscription default}
	 * @return the problem
	 */
	public static ApiException configured(String what) {
		return new ApiException(HttpStatus.CONFLICT, "defined-by-configuration", "Defined by configuration",
				what + " is defined by configuration (millrace.alerting.*) and cannot be changed or deleted "
						+ "through the API; change the configuration",
				List.of());
	}

	/**
	 * @param what for example {@code Rule pump-hot}
	 * @return the problem
	 */
	public static ApiException preconditionFailed(String what) {
		return new ApiException(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed",
				what + " has changed since the ETag in If-Match was read (or is gone): GET it again and retry",
				List.of());
	}

	/**
	 * @param what for example {@code Rule pump-hot}
	 * @return the problem
	 */
	public static ApiException preconditionRequired(String what) {
		return new ApiException(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", "Precondition required",
				what + " exists: send If-Match with its ETag (from GET) so that no one else's change is overwritten",
				List.of());
	}

	HttpStatus status() {
		return this.status;
	}

	String type() {
		return this.type;
	}

	String title() {
		return this.title;
	}

	List<FieldError> errors() {
		return this.errors;
	}

}
