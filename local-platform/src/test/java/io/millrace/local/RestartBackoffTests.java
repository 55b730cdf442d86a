package io.millrace.local;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RestartBackoffTests {

	private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30),
			Duration.ofMinutes(1));

	@Test
	void doublesFromTheInitialWaitUpToTheCapAndStaysThere() {
		for (long seconds : new long[] { 1, 2, 4, 8, 16, 30, 30, 30 }) {
			RestartBackoff.Restart restart = this.backoff.next(Duration.ofSeconds(5));
			assertThat(restart.delay()).isEqualTo(Duration.ofSeconds(seconds));
			assertThat(restart.atCap()).isEqualTo(seconds == 30);
		}
		assertThat(this.backoff.next(Duration.ZERO).attempt()).isEqualTo(9);
	}

	@Test
	void startsOverOnceTheServiceRanLongEnough() {
		this.backoff.next(Duration.ZERO);
		this.backoff.next(Duration.ZERO);
		assertThat(this.backoff.next(Duration.ofSeconds(59)))
			.isEqualTo(new RestartBackoff.Restart(3, Duration.ofSeconds(4), false));
		assertThat(this.backoff.next(Duration.ofMinutes(1)))
			.isEqualTo(new RestartBackoff.Restart(1, Duration.ofSeconds(1), false));
		assertThat(this.backoff.next(Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void neverOverflowsAfterManyDeaths() {
		RestartBackoff.Restart restart = null;
		for (int i = 0; i < 10_000; i++) {
			restart = this.backoff.next(Duration.ZERO);
		}
		assertThat(restart).isEqualTo(new RestartBackoff.Restart(10_000, Duration.ofSeconds(30), true));
	}

	@Test
	void refusesAMaximumBelowTheInitialWait() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO));
	}

}
