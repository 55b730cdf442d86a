package io.millrace.transport.health;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class PolledHealthTests {

	@Test
	void answersAtOnceWithTheLastResultAndReportsAHungCheckAsDown() throws Exception {
		AtomicReference<Status> status = new AtomicReference<>(Status.UP);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Boolean> hang = new AtomicReference<>(false);
		HealthIndicator slow = () -> {
			if (hang.get()) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return Health.status(status.get()).build();
		};
		try (PolledHealth polled = new PolledHealth("test", slow, Duration.ofMillis(50), Duration.ofMillis(300),
				Clock.systemUTC())) {
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polled.health().getStatus().equals(Status.UP));

			status.set(Status.DOWN);
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> polled.health().getStatus().equals(Status.DOWN));

			status.set(Status.UP);
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> polled.health().getStatus().equals(Status.UP));
			hang.set(true);
			// While the check hangs, answers stay immediate: first the last result, then
			// DOWN once the deadline has passed.
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> polled.health().getStatus().equals(Status.DOWN));
			long started = System.nanoTime();
			Health health = polled.health();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(50));
			assertThat(health.getDetails()).containsKey("reason");
			release.countDown();
		}
	}

}
