package io.millrace.lakehouse.replay;

import org.springframework.http.HttpStatus;

/**
 * A replay request the API refuses, answered as a problem detail with a stable type
 * ({@code https://millrace.io/problems/<type>}).
 */
final class ReplayException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final String parameter;

	ReplayException(HttpStatus status, String type, String title, String detail, String parameter) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.parameter = parameter;
	}

	static ReplayException invalid(String parameter, String detail) {
		return new ReplayException(HttpStatus.BAD_REQUEST, "invalid-replay", "Invalid replay request", detail,
				parameter);
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

	String parameter() {
		return this.parameter;
	}

}
