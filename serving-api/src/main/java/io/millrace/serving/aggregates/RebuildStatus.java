package io.millrace.serving.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import io.millrace.serving.aggregates.ServingProperties.RebuildMode;
import io.millrace.serving.store.WindowStore;
import io.millrace.transport.StartupCatchUp;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health component {@code store}, part of readiness: {@code OUT_OF_SERVICE} while the
 * store is rebuilt from {@code telemetry-aggregates} at start, {@code UP} from then on
 * (it does not go back). With {@code end-offsets} the store is rebuilt once every
 * partition was read up to where it ended when the consumer was assigned it; with
 * {@code quiet-period}, once no aggregate arrived for that long, or once an aggregate
 * emitted less than that long ago (wall clock) was read: the consumer reached live
 * traffic.
 */
public final class RebuildStatus implements HealthIndicator {

	private final WindowStore store;

	private final StartupCatchUp catchUp;

	private final RebuildMode mode;

	private final long quietNanos;

	private final LongSupplier nanoTime;

	private final long startedAt;

	private volatile long lastRecordAt;

	private volatile boolean rebuilt;

	RebuildStatus(WindowStore store, StartupCatchUp catchUp, RebuildMode mode, Duration quietPeriod,
			LongSupplier nanoTime) {
		this.store = store;
		this.catchUp = catchUp;
		this.mode = mode;
		this.quietNanos = quietPeriod.toNanos();
		this.nanoTime = nanoTime;
		this.startedAt = nanoTime.getAsLong();
		this.lastRecordAt = this.startedAt;
	}

	/**
	 * An aggregate was consumed.
	 * @param emittedAt when it was emitted, or {@code null}
	 */
	void recordConsumed(Instant emittedAt) {
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
	 * @return whether the store holds what the topic held at start
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
		health.withDetail("mode", this.mode.name().toLowerCase().replace('_', '-'))
			.withDetail("windows", this.store.windowCount())
			.withDetail("sensors", this.store.sensorCount());
		if (!this.rebuilt && this.mode == RebuildMode.END_OFFSETS) {
			health.withDetail("positionsKnown", this.catchUp.positionsKnown())
				.withDetail("endOffsetsToReach", this.catchUp.remaining());
		}
		return health.build();
	}

}
