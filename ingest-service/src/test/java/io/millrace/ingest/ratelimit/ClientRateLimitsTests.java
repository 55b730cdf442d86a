package io.millrace.ingest.ratelimit;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientRateLimitsTests {

	static final long SECOND = 1_000_000_000L;

	final AtomicLong now = new AtomicLong(42 * SECOND);

	@Test
	void noLimitByDefault() {
		ClientRateLimits limits = new ClientRateLimits(new RateLimitProperties(0, 0, Map.of()), this.now::get);
		for (int i = 0; i < 1000; i++) {
			limits.acquire("anyone", 1_000_000);
		}
	}

	@Test
	void aClientMaySpendItsBurstThenItsRate() {
		ClientRateLimits limits = new ClientRateLimits(new RateLimitProperties(100, 300, Map.of()), this.now::get);
		limits.acquire("a", 300);
		assertThatThrownBy(() -> limits.acquire("a", 1)).isInstanceOf(RateLimitedException.class)
			.hasMessageContaining("'a' is limited to 100.0 events/s");
		// Clients do not share buckets.
		limits.acquire("b", 300);

		this.now.addAndGet(SECOND / 2);
		limits.acquire("a", 50);
		RateLimitedException refused = catchRateLimited(() -> limits.acquire("a", 100));
		// 100 tokens at 100/s, none left: one second.
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);
		this.now.addAndGet(SECOND);
		assertThatNoException().isThrownBy(() -> limits.acquire("a", 100));
	}

	@Test
	void aBatchLargerThanTheBurstWaitsForAFullBucketAndLeavesItInDebt() {
		ClientRateLimits limits = new ClientRateLimits(new RateLimitProperties(10, 20, Map.of()), this.now::get);
		limits.acquire("a", 100);
		RateLimitedException refused = catchRateLimited(() -> limits.acquire("a", 100));
		// 80 tokens of debt, then 20 for a full bucket: 10 s at 10/s.
		assertThat(refused.retryAfterSeconds()).isEqualTo(10);
		this.now.addAndGet(10 * SECOND);
		assertThatNoException().isThrownBy(() -> limits.acquire("a", 100));
	}

	@Test
	void namedClientsHaveTheirOwnLimits() {
		ClientRateLimits limits = new ClientRateLimits(
				new RateLimitProperties(1, 1, Map.of("fleet", new RateLimitProperties.Limit(1000, 0))), this.now::get);
		limits.acquire("fleet", 1000);
		assertThatThrownBy(() -> limits.acquire("fleet", 1)).isInstanceOf(RateLimitedException.class);
		limits.acquire("other", 1);
		assertThatThrownBy(() -> limits.acquire("other", 1)).isInstanceOf(RateLimitedException.class);
	}

	private static RateLimitedException catchRateLimited(Runnable call) {
		try {
			call.run();
		}
		catch (RateLimitedException ex) {
			return ex;
		}
		throw new AssertionError("expected a RateLimitedException");
	}

}
