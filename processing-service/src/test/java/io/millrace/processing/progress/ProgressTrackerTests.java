package io.millrace.processing.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.millrace.processing.engine.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTrackerTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private final ManualClock clock = new ManualClock(T0);

	private final ProgressTracker tracker = new ProgressTracker(this.clock, Duration.ofSeconds(10), 2);

	@Test
	void reportsEachBatchPerPartitionWithRatesEventTimeAndState() {
		this.tracker.recorded("0", T0.minusSeconds(30), 1_000_000);
		this.tracker.recorded("0", T0.minusSeconds(10), 1_000_000);
		this.tracker.recorded("1", null, 2_000_000);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.tracker.closeBatchIfDue(T0.minusSeconds(20), 7)).as("not due yet").isFalse();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.tracker.closeBatchIfDue(T0.minusSeconds(20), 7)).isTrue();

		ProgressTracker.BatchProgress zero = this.tracker.recent().get("0").get(0);
		assertThat(zero.batchId()).isZero();
		assertThat(zero.timestamp()).isEqualTo(T0);
		assertThat(zero.durationMs()).isEqualTo(10_000);
		assertThat(zero.numInputRows()).isEqualTo(2);
		assertThat(zero.inputRowsPerSecond()).isEqualTo(0.2);
		assertThat(zero.processedRowsPerSecond()).isEqualTo(1000.0);
		assertThat(zero.eventTime().min()).isEqualTo(T0.minusSeconds(30));
		assertThat(zero.eventTime().max()).isEqualTo(T0.minusSeconds(10));
		assertThat(zero.eventTime().watermark()).isEqualTo(T0.minusSeconds(20));
		assertThat(zero.stateRows()).isEqualTo(7);
		assertThat(this.tracker.recent().get("1").get(0).eventTime().min()).isNull();
	}

	@Test
	void keepsOnlyTheMostRecentBatches() {
		for (int batch = 0; batch < 5; batch++) {
			this.tracker.recorded("0", T0, 1);
			this.clock.advance(Duration.ofSeconds(10));
			this.tracker.closeBatchIfDue(Instant.MIN, 0);
		}
		List<ProgressTracker.BatchProgress> recent = this.tracker.recent().get("0");
		assertThat(recent).extracting(ProgressTracker.BatchProgress::batchId).containsExactly(3L, 4L);
		assertThat(recent.get(1).eventTime().watermark()).isNull();
	}

}
