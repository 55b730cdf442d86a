package io.millrace.local;

import java.time.Duration;

/**
 * The waits between restarts of a service that keeps dying: the first restart after
 * {@code initial}, each further one after twice the previous wait, never more than
 * {@code max}. A service that ran for at least {@code resetAfter} before it died counts
 * as having recovered: its next restart waits {@code initial} again. Not thread-safe; its
 * {@link ServiceSupervisor} calls it under its lock.
 */
final class RestartBackoff {

	private final Duration initial;

	private final Duration max;

	private final Duration resetAfter;

	private int consecutiveDeaths;

	RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
		if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || resetAfter.isNegative()) {
			throw new IllegalArgumentException("Restart backoff needs 0 < initial <= max and resetAfter >= 0, got "
					+ initial + ", " + max + ", " + resetAfter);
		}
		this.initial = initial;
		this.max = max;
		this.resetAfter = resetAfter;
	}

	/**
	 * Record a death and say when to restart.
	 * @param ranFor how long the process ran before it died (zero when it could not be
	 * started at all)
	 * @return the number of this restart since the service last ran long enough, and the
	 * wait before it
	 */
	Restart next(Duration ranFor) {
		if (ranFor.compareTo(this.resetAfter) >= 0) {
			this.consecutiveDeaths = 0;
		}
		this.consecutiveDeaths++;
		Duration delay = this.initial;
		for (int i = 1; i < this.consecutiveDeaths && delay.compareTo(this.max) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		delay = (delay.compareTo(this.max) < 0) ? delay : this.max;
		return new Restart(this.consecutiveDeaths, delay, delay.equals(this.max));
	}

	/**
	 * One planned restart.
	 *
	 * @param attempt 1 for the first restart since the service last ran long enough, then
	 * 2, 3, …
	 * @param delay the wait before it
	 * @param atCap whether the wait has reached its maximum (the service keeps crashing)
	 */
	record Restart(int attempt, Duration delay, boolean atCap) {

	}

}
