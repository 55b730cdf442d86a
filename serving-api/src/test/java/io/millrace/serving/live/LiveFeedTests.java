package io.millrace.serving.live;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.serving.store.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LiveFeedTests {

	private static final LiveFeed.Filter ALL = new LiveFeed.Filter(Set.of(), Set.of(), Set.of(), false);

	private final WindowStore store = new WindowStore(Duration.ofHours(1), 1_000_000, Duration.ZERO,
			Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));

	private final LiveFeed feed = new LiveFeed(this.store, Duration.ofMillis(200), 3, 2);

	@AfterEach
	void close() {
		this.feed.close();
	}

	@Test
	void streamsChangesFromNowOnFilteredWithIncreasingIds() {
		this.store.upsert(minute("before", "t", 0, 1, true, 0));
		Recorder all = new Recorder();
		Recorder pumps = new Recorder();
		this.feed.subscribe(ALL, null, all);
		this.feed.subscribe(new LiveFeed.Filter(Set.of("pump-1"), Set.of("t"), Set.of("tumbling"), true), null, pumps);
		this.store.upsert(minute("pump-1", "t", 0, 1, false, 0));
		this.store.upsert(minute("pump-1", "p", 0, 1, true, 0));
		this.store.upsert(minute("pump-2", "t", 0, 1, true, 0));
		this.store.upsert(minute("pump-1", "t", 0, 2, true, 1));
		// A window revised before the stream got to it is sent once, newest: 3 or 4
		// events.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> all.events.stream()
				.anyMatch((event) -> event.aggregate().sensorId().equals("pump-1") && event.aggregate().max() == 2.0));
		assertThat(all.events).hasSizeBetween(3, 4).noneMatch((event) -> event.aggregate().sensorId().equals("before"));
		assertThat(all.sequences()).isSorted().doesNotHaveDuplicates();
		await().atMost(Duration.ofSeconds(5)).until(() -> pumps.events.size() == 1);
		assertThat(pumps.events.get(0).aggregate().max()).isEqualTo(2.0);
	}

	@Test
	void resumesAfterALastEventIdWithoutAGapAndWithoutRepeats() {
		Recorder first = new Recorder();
		LiveFeed.Subscription subscription = this.feed.subscribe(ALL, null, first);
		for (int minute = 0; minute < 5; minute++) {
			this.store.upsert(minute("s1", "t", minute, minute, true, 0));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> first.events.size() == 5);
		subscription.close();
		assertThat(first.closed).isTrue();
		String lastSeen = first.events.get(2).id();
		for (int minute = 5; minute < 8; minute++) {
			this.store.upsert(minute("s1", "t", minute, minute, true, 0));
		}
		Recorder resumed = new Recorder();
		this.feed.subscribe(ALL, lastSeen, resumed);
		await().atMost(Duration.ofSeconds(5)).until(() -> resumed.events.size() == 5);
		assertThat(resumed.events).extracting((event) -> event.aggregate().max())
			.containsExactly(3.0, 4.0, 5.0, 6.0, 7.0);
		assertThat(resumed.gaps).isEmpty();
		this.store.upsert(minute("s1", "t", 8, 8, true, 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> resumed.events.size() == 6);
		assertThat(resumed.sequences()).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void saysSoWhenItCannotResumeExactly() {
		WindowStore small = new WindowStore(Duration.ofHours(1), 3, Duration.ZERO,
				Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
		try (LiveFeed feed = new LiveFeed(small, Duration.ofSeconds(1), 10, 1)) {
			for (int minute = 0; minute < 10; minute++) {
				small.upsert(minute("s1", "t", minute, minute, true, 0));
			}
			Recorder evicted = new Recorder();
			feed.subscribe(ALL, feed.eventId(1), evicted);
			await().atMost(Duration.ofSeconds(5)).until(() -> !evicted.gaps.isEmpty() && evicted.events.size() >= 2);
			assertThat(evicted.gaps).containsExactly("evicted");
			Recorder other = new Recorder();
			feed.subscribe(ALL, "elsewhere-3", other);
			await().atMost(Duration.ofSeconds(5)).until(() -> !other.gaps.isEmpty());
			assertThat(other.gaps).containsExactly("another-instance");
			assertThatIllegalArgumentException().isThrownBy(() -> feed.subscribe(ALL, "x-y", new Recorder()));
		}
	}

	@Test
	void streamsAlertsToStreamsThatAskAndResumesThemByTheSecondCursor() {
		io.millrace.serving.alerts.AlertBoard alerts = new io.millrace.serving.alerts.AlertBoard(Duration.ofDays(1),
				100, Clock.systemUTC());
		try (LiveFeed feed = new LiveFeed(this.store, alerts, Duration.ofSeconds(1), 10, 1)) {
			Recorder both = new Recorder();
			Recorder aggregatesOnly = new Recorder();
			feed.subscribe(new LiveFeed.Filter(Set.of("s1"), Set.of(), Set.of(), false, true, true), null, both);
			feed.subscribe(ALL, null, aggregatesOnly);
			alerts.accept(alertOf("a1", "s1"));
			alerts.accept(alertOf("a2", "s2"));
			alerts.accept(alertOf("a3", "s1"));
			this.store.upsert(minute("s1", "t", 0, 1, true, 0));
			await().atMost(Duration.ofSeconds(5)).until(() -> both.alerts.size() == 2 && both.events.size() == 1);
			assertThat(both.alerts).extracting((line) -> line.substring(line.indexOf(' ') + 1))
				.containsExactly("a1", "a3");
			await().atMost(Duration.ofSeconds(5)).until(() -> aggregatesOnly.events.size() == 1);
			assertThat(aggregatesOnly.alerts).isEmpty();
			String afterFirst = both.alerts.get(0).substring(0, both.alerts.get(0).indexOf(' '));
			assertThat(afterFirst).matches(feed.epoch() + "-[0-9]+-1");
			Recorder resumed = new Recorder();
			feed.subscribe(new LiveFeed.Filter(Set.of(), Set.of(), Set.of(), false, false, true), afterFirst, resumed);
			await().atMost(Duration.ofSeconds(5)).until(() -> resumed.alerts.size() == 2);
			assertThat(resumed.alerts).extracting((line) -> line.substring(line.indexOf(' ') + 1))
				.containsExactly("a2", "a3");
			assertThat(resumed.events).isEmpty();
			assertThat(resumed.gaps).isEmpty();
		}
	}

	private static AlertEvent alertOf(String id, String sensor) {
		return new AlertEvent(id, "hot", "hot/" + sensor + "/t", io.millrace.model.alert.AlertStatus.FIRING, "warning",
				sensor, "t", 10, 5, null, java.time.Instant.now(), null, java.util.Map.of(), java.util.Map.of());
	}

	@Test
	void refusesStreamsPastTheLimitAndSendsHeartbeats() {
		Recorder one = new Recorder();
		this.feed.subscribe(ALL, null, one);
		LiveFeed.Subscription two = this.feed.subscribe(ALL, null, new Recorder());
		this.feed.subscribe(ALL, null, new Recorder());
		org.assertj.core.api.Assertions.assertThatExceptionOfType(LiveFeed.TooManyStreamsException.class)
			.isThrownBy(() -> this.feed.subscribe(ALL, null, new Recorder()));
		two.close();
		this.feed.subscribe(ALL, null, new Recorder());
		assertThat(this.feed.openStreams()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(5)).until(() -> one.heartbeats >= 2);
	}

	@Test
	void aClientThatIsGoneIsClosed() {
		Recorder gone = new Recorder();
		gone.failing = true;
		this.feed.subscribe(ALL, null, gone);
		this.store.upsert(minute("s1", "t", 0, 1, true, 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> gone.closed);
		assertThat(this.feed.openStreams()).isZero();
	}

	record Event(String id, WindowAggregate aggregate) {
	}

	static final class Recorder implements LiveFeed.Sink {

		final List<Event> events = new CopyOnWriteArrayList<>();

		final List<String> gaps = new CopyOnWriteArrayList<>();

		final List<String> alerts = new CopyOnWriteArrayList<>();

		volatile int heartbeats;

		volatile boolean closed;

		volatile boolean failing;

		@Override
		public void aggregate(String id, WindowAggregate aggregate) throws IOException {
			if (this.failing) {
				throw new IOException("Broken pipe");
			}
			this.events.add(new Event(id, aggregate));
		}

		@Override
		public void alert(String id, AlertEvent alert) {
			this.alerts.add(id + " " + alert.alertId());
		}

		@Override
		public void gap(String reason, String lastEventId) {
			this.gaps.add(reason);
		}

		@Override
		public void heartbeat() {
			this.heartbeats++;
		}

		@Override
		public void close() {
			this.closed = true;
		}

		List<Long> sequences() {
			return this.events.stream()
				.map((event) -> Long.parseLong(event.id().substring(event.id().indexOf('-') + 1)))
				.toList();
		}

	}

}
