package io.millrace.alerting.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryScheduleTests {

	private static final Instant NOW = Instant.parse("2026-02-05T10:00:00Z");

	@Test
	void theDocumentedScheduleIsSixRetriesAfterTheFirstAttempt() {
		RetrySchedule schedule = RetrySchedule.standard();
		assertThat(schedule.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5),
				Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
		assertThat(schedule.maxAttempts()).isEqualTo(7);
		assertThat(schedule.isSpent(6)).isFalse();
		assertThat(schedule.isSpent(7)).isTrue();
		assertThat(schedule.nextAttemptAt(7, NOW, null)).isEmpty();
	}

	@RepeatedTest(20)
	void eachDelayIsJitteredWithinTwentyPercent() {
		RetrySchedule schedule = RetrySchedule.standard();
		for (int attempt = 1; attempt <= 6; attempt++) {
			Duration nominal = RetrySchedule.DEFAULT_DELAYS.get(attempt - 1);
			Instant next = schedule.nextAttemptAt(attempt, NOW, null).orElseThrow();
			Duration delay = Duration.between(NOW, next);
			assertThat(delay).isBetween(nominal.multipliedBy(8).dividedBy(10), nominal.multipliedBy(12).dividedBy(10));
		}
	}

	@Test
	void jitterActuallyVaries() {
		RetrySchedule schedule = RetrySchedule.standard();
		assertThat(java.util.stream.IntStream.range(0, 20)
			.mapToObj((i) -> schedule.nextAttemptAt(3, NOW, null).orElseThrow())
			.distinct()
			.count()).isGreaterThan(1);
	}

	@Test
	void neverEarlierThanRetryAfter() {
		RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5)), 0);
		assertThat(schedule.nextAttemptAt(1, NOW, Duration.ofMinutes(2))).contains(NOW.plus(Duration.ofMinutes(2)));
		assertThat(schedule.nextAttemptAt(1, NOW, Duration.ofSeconds(1))).contains(NOW.plusSeconds(5));
		assertThat(schedule.nextAttemptAt(1, NOW, null)).contains(NOW.plusSeconds(5));
	}

	@Test
	void aCompressedScheduleForTests() {
		RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofMillis(10), Duration.ofMillis(20)), 0);
		assertThat(schedule.nextAttemptAt(2, NOW, null)).contains(NOW.plusMillis(20));
		assertThat(schedule.isSpent(3)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> new RetrySchedule(List.of(), 0.2));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), 0.2));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(1)), 1.5));
	}

	@Test
	void retryAfterIsReadAsSecondsOrAnHttpDate() {
		assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse("Thu, 05 Feb 2026 10:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
		assertThat(RetryAfter.parse("Thu, 05 Feb 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
		assertThat(RetryAfter.parse("soon", NOW)).isNull();
		assertThat(RetryAfter.parse(null, NOW)).isNull();
	}

}
