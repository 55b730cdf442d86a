package io.millrace.alerting.delivery.target;

import java.util.List;

/**
 * What webhook URLs may point at.
 *
 * @param allowHttp whether plain http is allowed (local use; https only otherwise)
 * @param allowList CIDRs ({@code 10.1.0.0/16}), single addresses ({@code 127.0.0.1}) or
 * host names ({@code hooks.internal.example}) that may be delivered to even though they
 * are, or resolve to, internal addresses
 */
public record TargetPolicy(boolean allowHttp, List<String> allowList) {

	/** https only, nothing internal: the production default. */
	public static final TargetPolicy STRICT = new TargetPolicy(false, List.of());

	public TargetPolicy {
		allowList = List.copyOf(allowList);
	}

}
