package io.millrace.lakehouse.powerbi;

import java.time.Duration;

/** What the push reports, for metrics. Called on the push's thread: only count. */
interface PushListener {

	PushListener NONE = new PushListener() {
	};

	/**
	 * @param outcome {@code accepted}, {@code throttled} (429), {@code server-error}
	 * (5xx), {@code no-response}, {@code rejected} (any other status)
	 */
	default void request(String outcome) {
	}

	default void pushed(int rows) {
	}

	/**
	 * The push waited: {@code budget} (its own per-minute budget) or {@code retry-after}.
	 */
	default void waited(String cause, Duration wait) {
	}

	default void deadLettered(String reason, int rows) {
	}

	/** Records consumed and not pushed: {@code not-final} or {@code undecodable}. */
	default void skipped(String reason) {
	}

}
