package io.millrace.alerting.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.resilience4j.core.IntervalFunction;

/**
 * When to try a notification again. After the first attempt fails, the next attempts wait
 * 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (each ±20 % jitter, so that receivers that came
 * back are not hit by every sender at once): seven attempts over about 17 h 35 min. After
 * the seventh fails the schedule is spent and the notification is dead-lettered.
 * <p>
 * The schedule computes the next attempt's time rather than sleeping, so a delivery state
 * stored with it survives restarts; the jitter is resilience4j's randomized
 * {@link IntervalFunction}.
 */
public final class RetrySchedule {

	/** The documented delays between attempts. */
	public static final List<Duration> DEFAULT_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
			Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));

	/** ±20 %. */
	public static final double DEFAULT_JITTER = 0.2;

	private final List<IntervalFunction> delays;

	private final List<Duration> nominal;

	/**
	 * @param delays the wait after each failed attempt, in order (tests compress it)
	 * @param jitter the randomization factor, 0 (none) to below 1
	 */
	public RetrySchedule(List<Duration> delays, double jitter) {
		if (delays.isEmpty() || delays.stream().anyMatch((delay) -> delay.isNegative() || delay.isZero())) {
			throw new IllegalArgumentException("A retry schedule is a non-empty list of positive delays");
		}
		if (jitter < 0 || jitter >= 1) {
			throw new IllegalArgumentException("Jitter is a factor from 0 to below 1, not " + jitter);
		}
		this.nominal = List.copyOf(delays);
		this.delays = delays.stream()
			.map((delay) -> (jitter > 0) ? IntervalFunction.ofRandomized(delay, jitter) : IntervalFunction.of(delay))
			.toList();
	}

	/**
	 * The documented schedule.
	 * @return 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, ±20 %
	 */
	public static RetrySchedule standard() {
		return new RetrySchedule(DEFAULT_DELAYS, DEFAULT_JITTER);
	}

	/**
	 * When to make the next attempt.
	 * @param attemptsMade how many attempts have been made and failed (1 after the first)
	 * @param now when the last attempt failed
	 * @param retryAfter the receiver's {@code Retry-After}, or null
	 * @return the time of the next attempt, never before {@code now + retryAfter}; empty
	 * once the schedule is spent
	 */
	public Optional<Instant> nextAttemptAt(int attemptsMade, Instant now, Duration retryAfter) {
		if (attemptsMade < 1) {
			throw new IllegalArgumentException("attemptsMade starts at 1, after the first attempt");
		}
		if (isSpent(attemptsMade)) {
			return Optional.empty();
		}
		long millis = this.delays.get(attemptsMade - 1).apply(1);
		Instant scheduled = now.plusMillis(millis);
		if (retryAfter != null && scheduled.isBefore(now.plus(retryAfter))) {
			return Optional.of(now.plus(retryAfter));
		}
		return Optional.of(scheduled);
	}

	/**
	 * @param attemptsMade attempts made so far
	 * @return whether no attempt is left
	 */
	public boolean isSpent(int attemptsMade) {
		return attemptsMade > this.nominal.size();
	}

	/**
	 * @return how many attempts a notification gets in all, the first included
	 */
	public int maxAttempts() {
		return this.nominal.size() + 1;
	}

	/**
	 * @return the delays without jitter
	 */
	public List<Duration> delays() {
		return this.nominal;
	}

}
