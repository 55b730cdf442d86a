package io.millrace.alerting.api;

import java.util.Arrays;

import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.storage.Precondition;

/**
 * {@code ETag} and {@code If-Match} over storage versions: the ETag is the version,
 * quoted (an Azure blob's ETag comes quoted already), and a replace or delete writes only
 * if the stored version is still the one the client read.
 */
public final class ETags {

	private ETags() {
	}

	/**
	 * @param version a storage version
	 * @return the ETag header value
	 */
	public static String of(String version) {
		return version.startsWith("\"") ? version : "\"" + version + "\"";
	}

	/**
	 * The precondition of replacing or deleting what exists.
	 * @param ifMatch the request's {@code If-Match}, or null
	 * @param current the stored document
	 * @param what for example {@code Rule pump-hot}, for the problem
	 * @return the precondition to write with (the version checked)
	 * @throws ApiException 428 without {@code If-Match}, 412 when it does not match
	 */
	public static Precondition require(String ifMatch, Versioned<?> current, String what) {
		if (ifMatch == null || ifMatch.isBlank()) {
			throw ApiException.preconditionRequired(what);
		}
		String etag = of(current.version());
		boolean matches = Arrays.stream(ifMatch.split(","))
			.map(String::trim)
			// If-Match compares strongly, but a proxy may have weakened it; the version
			// is
			// the same either way.
			.map((tag) -> tag.startsWith("W/") ? tag.substring(2) : tag)
			.anyMatch((tag) -> tag.equals("*") || tag.equals(etag));
		if (!matches) {
			throw ApiException.preconditionFailed(what);
		}
		return Precondition.matches(current.version());
	}

}
