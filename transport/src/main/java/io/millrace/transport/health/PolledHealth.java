package io.millrace.transport.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;

/**
 * A health check that never makes a probe wait: a slow check (the binders ask the broker,
 * and with the broker gone that takes the client's whole timeout, up to a minute) runs on
 * its own thread every interval, and {@link #health()} answers at once with the last
 * result. A check still running past its deadline is reported DOWN, so a hung broker does
 * not leave an old UP in place.
 */
public final class PolledHealth implements HealthIndicator, AutoCloseable {

	private final HealthContributor delegate;

	private final Duration deadline;

	private final Clock clock;

	private final ScheduledExecutorService checker;

	private volatile Health last = Health.unknown().withDetail("reason", "not checked yet").build();

	private volatile Instant checkStartedAt;

	/**
	 * @param name what is checked, for the thread name
	 * @param delegate the slow check
	 * @param interval how often to check
	 * @param deadline how long one check may run before it counts as DOWN
	 * @param clock the clock
	 */
	public PolledHealth(String name, HealthContributor delegate, Duration interval, Duration deadline, Clock clock) {
		this.delegate = delegate;
		this.deadline = deadline;
		this.clock = clock;
		this.checker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "health-" + name);
			thread.setDaemon(true);
			return thread;
		});
		this.checker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void check() {
		this.checkStartedAt = this.clock.instant();
		try {
			this.last = Health.status(statusOf(this.delegate))
				.withDetails(detailsOf(this.delegate))
				.withDetail("checkedAt", this.clock.instant().toString())
				.build();
		}
		catch (RuntimeException ex) {
			this.last = Health.down(ex).withDetail("checkedAt", this.clock.instant().toString()).build();
		}
		finally {
			this.checkStartedAt = null;
		}
	}

	@Override
	public Health health() {
		Instant started = this.checkStartedAt;
		if (started != null && Duration.between(started, this.clock.instant()).compareTo(this.deadline) > 0) {
			return Health.down()
				.withDetail("reason", "the check has not answered for more than " + this.deadline)
				.withDetail("checkStartedAt", started.toString())
				.build();
		}
		return this.last;
	}

	private static Status statusOf(HealthContributor contributor) {
		if (contributor instanceof HealthIndicator indicator) {
			Health health = indicator.health();
			return (health != null) ? health.getStatus() : Status.UNKNOWN;
		}
		if (contributor instanceof CompositeHealthContributor composite) {
			Status status = Status.UP;
			for (NamedContributor<HealthContributor> child : composite) {
				Status childStatus = statusOf(child.getContributor());
				if (Status.DOWN.equals(childStatus) || Status.OUT_OF_SERVICE.equals(childStatus)) {
					return childStatus;
				}
				if (!Status.UP.equals(childStatus)) {
					status = childStatus;
				}
			}
			return status;
		}
		return Status.UNKNOWN;
	}

	private static Map<String, Object> detailsOf(HealthContributor contributor) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (contributor instanceof CompositeHealthContributor composite) {
			for (NamedContributor<HealthContributor> child : composite) {
				details.put(child.getName(), statusOf(child.getContributor()).getCode());
			}
		}
		return details;
	}

	@Override
	public void close() {
		this.checker.shutdownNow();
	}

}
