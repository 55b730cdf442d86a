package io.millrace.alerting.delivery.target;

/**
 * A webhook URL the guard will not deliver to, with the reason a subscription owner can
 * act on (it becomes the detail of a problem response or the last error of a delivery).
 */
public class TargetRefusedException extends Exception {

	private final Reason reason;

	TargetRefusedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Why, as a stable code (for a problem detail's {@code type}).
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/** The kinds of refusal. */
	public enum Reason {

		/** Not an absolute http(s) URL with a host, or it carries user info. */
		INVALID_URL,

		/** http where only https is allowed, or another scheme. */
		SCHEME_NOT_ALLOWED,

		/** The host has no address. */
		UNRESOLVABLE,

		/**
		 * The host resolves to a loopback, private, link-local, metadata or otherwise
		 * internal address that no allow-list entry names.
		 */
		FORBIDDEN_ADDRESS

	}

}
