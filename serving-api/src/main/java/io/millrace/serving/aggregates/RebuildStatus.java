package io.millrace.serving.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.millrace.serving.aggregates.ServingProperties.RebuildMode;
import io.millrace.transport.StartupCatchUp;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A health component that is part of readiness for a view rebuilt from a topic at start
 * ({@code store} from {@code telemetry-aggregates}, {@code alerts} from {@code alerts}):
 * {@code OUT_OF_SERVICE} while the view is rebuilt, {@code UP} from then on (it does not
 * go back). With {@code end-offsets} the view is rebuilt once every partition was read up
 * to where it ended when the consumer was assigned it; with {@code quiet-period}, once no
 * aggregate arrived for that long, or once an aggregate emitted less than that long ago
 * (wall clock) was read: the consumer reached live traffic.
 */
public final class RebuildStatus implements HealthIndicator {

	private final Supplier<Map<String, Object>> details;

	private final StartupCatchUp catchUp;

	private final RebuildMode mode;

	private final long quietNanos;

	private final LongSupplier nanoTime;

	private final long startedAt;

	private volatile long lastRecordAt;

	private volatile boolean rebuilt;

	/**
	 * @param catchUp the view's consumer's positions
	 * @param mode how the rebuild is decided
	 * @param quietPeriod the quiet period of {@link RebuildMode#QUIET_PERIOD}
	 * @param nanoTime the clock
	 * @param details what the health details say about the view (sizes)
	 */
	public RebuildStatus(StartupCatchUp catchUp, RebuildMode mode, Duration quietPeriod, LongSupplier nanoTime,
			Supplier<Map<String, Object>> details) {
		this.details = details;
		this.catchUp = catchUp;
		this.mode = mode;
		this.quietNanos = quietPeriod.toNanos();
		this.nanoTime = nanoTime;
		this.startedAt = nanoTime.getAsLong();
		this.lastRecordAt = this.startedAt;
	}

	/**
	 * A record of the view's topic was consumed.
	 * @param emittedAt when it was emitted, or {@code null}
	 */
	public void recordConsumed(Instant emittedAt) {
		if (this.rebuilt) {
			return;
		}
		this.lastRecordAt = this.nanoTime.getAsLong();
		if (this.mode == RebuildMode.QUIET_PERIOD && emittedAt != null
				&& Duration.between(emittedAt, Instant.now()).toNanos() < this.quietNanos) {
			this.rebuilt = true;
		}
	}

	/**
	 * @return whether the view holds what the topic held at start
	 */
	public boolean isRebuilt() {
		if (this.rebuilt) {
			return true;
		}
		boolean done = switch (this.mode) {
			case END_OFFSETS -> this.catchUp.isCaughtUp();
			case QUIET_PERIOD -> this.nanoTime.getAsLong() - this.lastRecordAt >= this.quietNanos;
		};
		if (done) {
			this.rebuilt = true;
		}
		return done;
	}

	@Override
	public Health health() {
		Health.Builder health = isRebuilt() ? Health.up() : Health.outOfService();
		health.withDetail("mode", this.mode.name().toLowerCase().replace('_', '-')).withDetails(this.details.get());
		if (!this.rebuilt && this.mode == RebuildMode.END_OFFSETS) {
			health.withDetail("positionsKnown", this.catchUp.positionsKnown())
				.withDetail("endOffsetsToReach", this.catchUp.remaining());
		}
		return health.build();
	}

}
