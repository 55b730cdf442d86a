package io.millrace.serving.aggregates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.serving.store.WindowStore;
import io.millrace.transport.StartupCatchUp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildStatusTests {

	private final WindowStore store = new WindowStore(Duration.ofHours(1), 100, Duration.ofSeconds(10),
			Clock.systemUTC());

	private final AtomicLong nanos = new AtomicLong();

	private Map<String, Object> details() {
		return Map.of("windows", this.store.windowCount());
	}

	@Test
	void endOffsetsWaitForTheBinderToReportPositions() {
		RebuildStatus status = new RebuildStatus(new StartupCatchUp("in"), ServingProperties.RebuildMode.END_OFFSETS,
				Duration.ofSeconds(3), this.nanos::get, this::details);
		this.nanos.addAndGet(Duration.ofMinutes(5).toNanos());
		assertThat(status.isRebuilt()).isFalse();
		assertThat(status.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(status.health().getDetails()).containsEntry("positionsKnown", false)
			.containsEntry("windows", this.store.windowCount());
	}

	@Test
	void quietPeriodIsReachedByQuietOrByARecentRecordAndStays() {
		RebuildStatus quiet = new RebuildStatus(new StartupCatchUp("in"), ServingProperties.RebuildMode.QUIET_PERIOD,
				Duration.ofSeconds(3), this.nanos::get, this::details);
		quiet.recordConsumed(Instant.now().minus(Duration.ofHours(2)));
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(quiet.isRebuilt()).isFalse();
		quiet.recordConsumed(Instant.now().minus(Duration.ofHours(1)));
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(quiet.isRebuilt()).as("a record 2 s ago").isFalse();
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(quiet.isRebuilt()).isTrue();
		quiet.recordConsumed(Instant.now().minus(Duration.ofHours(1)));
		assertThat(quiet.health().getStatus()).isEqualTo(Status.UP);

		RebuildStatus live = new RebuildStatus(new StartupCatchUp("in"), ServingProperties.RebuildMode.QUIET_PERIOD,
				Duration.ofSeconds(3), this.nanos::get, this::details);
		live.recordConsumed(Instant.now().minusMillis(500));
		assertThat(live.isRebuilt()).as("reached live traffic").isTrue();
	}

}
