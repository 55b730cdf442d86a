package io.millrace.ingest.problems;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details with Millrace's stable type URIs. */
public final class Problems {

	public static final String TYPE_BASE = "https://millrace.io/problems/";

	private Problems() {
	}

	/**
	 * @param status the HTTP status
	 * @param type the stable last segment of the type URI, for example {@code too-busy}
	 * @param title the short, stable summary
	 * @param detail this occurrence, in words
	 * @return the problem
	 */
	public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

}
