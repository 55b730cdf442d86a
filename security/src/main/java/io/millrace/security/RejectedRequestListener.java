package io.millrace.security;

/**
 * Told of every request the security layer refuses, for a service that counts refusals in
 * metrics of its own as well (ingest's {@code millrace_ingest_requests_rejected_total}
 * counts every request it refuses, for whatever reason). Every bean of this type is
 * called for the API's requests; the shared {@code millrace_api_requests_rejected_total}
 * is counted either way, and alone for refusals on the management endpoints.
 */
@FunctionalInterface
public interface RejectedRequestListener {

	/** Reason of a {@code 401}: no credentials, or credentials that were refused. */
	String UNAUTHORIZED = "unauthorized";

	/** Reason of a {@code 403}: valid credentials without the scope the path needs. */
	String FORBIDDEN = "forbidden";

	/**
	 * @param reason {@link #UNAUTHORIZED} or {@link #FORBIDDEN}
	 */
	void rejected(String reason);

}
