package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import java.util.UUID;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.processing.engine.StreamEngine.Disposition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StreamEngineTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private final ManualClock clock = new ManualClock(T0.plus(Duration.ofHours(1)));

	private final List<WindowAggregate> emitted = new ArrayList<>();

	@Test
	void tumblingWindowsEmitOnceFinalWithEveryStatistic() {
		StreamEngine engine = engine(config(new WindowSpec.Tumbling(Duration.ofMinutes(1))));
		feed(engine, "p0", event("s1", 4, 30), event("s1", 2, 10), event("s1", 6, 20), event("s1", 8, 59.999));
		assertThat(this.emitted).isEmpty();
		feed(engine, "p0", event("s1", 0, 65));
		assertThat(this.emitted).singleElement().satisfies((aggregate) -> {
			assertThat(aggregate.window().kind()).isEqualTo("tumbling");
			assertThat(aggregate.window().start()).isEqualTo(T0);
			assertThat(aggregate.window().end()).isEqualTo(T0.plusSeconds(60));
			assertThat(aggregate.count()).isEqualTo(4);
			assertThat(aggregate.sum()).isEqualTo(20.0);
			assertThat(aggregate.min()).isEqualTo(2.0);
			assertThat(aggregate.max()).isEqualTo(8.0);
			assertThat(aggregate.avg()).isEqualTo(5.0);
			assertThat(aggregate.stddev()).isCloseTo(Math.sqrt(5.0), within(1e-12));
			assertThat(aggregate.firstValue()).as("earliest event time, not first arrival").isEqualTo(2.0);
			assertThat(aggregate.lastValue()).isEqualTo(8.0);
			assertThat(aggregate.p50()).isCloseTo(4.0, within(0.04));
			assertThat(aggregate.p99()).isCloseTo(6.0, within(0.06));
			assertThat(aggregate.isFinal()).isTrue();
			assertThat(aggregate.revision()).isZero();
		});
	}

	@Test
	void hoppingWindowsCountAReadingInEveryWindowThatCoversIt() {
		StreamEngine engine = engine(config(new WindowSpec.Hopping(Duration.ofMinutes(5), Duration.ofMinutes(1))));
		feed(engine, "p0", event("s1", 1, 150), event("s1", 1, 600));
		assertThat(this.emitted).extracting((aggregate) -> aggregate.window().start())
			.containsExactly(T0.minusSeconds(120), T0.minusSeconds(60), T0, T0.plusSeconds(60), T0.plusSeconds(120));
		assertThat(this.emitted).allSatisfy((aggregate) -> {
			assertThat(aggregate.window().kind()).isEqualTo("hopping");
			assertThat(aggregate.window().advance()).isEqualTo(Duration.ofMinutes(1));
			assertThat(aggregate.count()).isEqualTo(1);
		});
	}

	@Test
	void slidingWindowsEndWhereAReadingEntersOrLeaves() {
		StreamEngine engine = engine(config(new WindowSpec.Sliding(Duration.ofSeconds(30))));
		feed(engine, "p0", event("s1", 1, 0), event("s1", 2, 10), event("s1", 100, 200));
		assertThat(this.emitted)
			.extracting((aggregate) -> aggregate.window().end() + " " + aggregate.count() + " " + aggregate.sum())
			.containsExactly(T0.plusMillis(1) + " 1 1.0", T0.plusMillis(10_001) + " 2 3.0",
					T0.plusMillis(30_001) + " 1 2.0");
		assertThat(this.emitted.get(1).window().start()).isEqualTo(T0.minusMillis(19_999));
	}

	@Test
	void sessionsCloseAfterTheGapAndRespectTheMaximumDuration() {
		StreamEngine engine = engine(config(new WindowSpec.Session(Duration.ofSeconds(30), Duration.ofSeconds(45))));
		feed(engine, "p0", event("s1", 1, 0), event("s1", 2, 20), event("s1", 3, 40), event("s1", 4, 50),
				event("s1", 5, 200));
		assertThat(this.emitted).extracting(
				(aggregate) -> aggregate.window().start() + ".." + aggregate.window().end() + " " + aggregate.count())
			.containsExactly(T0 + ".." + T0.plusSeconds(70) + " 3",
					T0.plusSeconds(50) + ".." + T0.plusSeconds(80) + " 1");
		assertThat(this.emitted.get(0).window().gap()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void lateReadingsWithinTheAllowedLatenessReviseTheWindowAndLaterOnesAreReported() {
		StreamEngine engine = engine(new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5),
				Duration.ofMinutes(10), null, 0.01));
		feed(engine, "p0", event("s1", 1, 10), event("s1", 2, 66));
		assertThat(this.emitted).singleElement().satisfies((onTime) -> {
			assertThat(onTime.isFinal()).isFalse();
			assertThat(onTime.revision()).isZero();
			assertThat(onTime.count()).isEqualTo(1);
		});
		feed(engine, "p0", event("s1", 3, 20));
		assertThat(this.emitted).hasSize(2);
		assertThat(this.emitted.get(1).revision()).isEqualTo(1);
		assertThat(this.emitted.get(1).count()).isEqualTo(2);
		assertThat(this.emitted.get(1).isFinal()).isFalse();
		feed(engine, "p0", event("s1", 4, 95));
		assertThat(this.emitted).hasSize(3);
		assertThat(this.emitted.get(2).isFinal()).isTrue();
		assertThat(this.emitted.get(2).revision()).isEqualTo(2);
		assertThat(this.emitted.get(2).max()).isEqualTo(3.0);
		assertThat(engine.onEvent("p0", event("s1", 99, 30)).disposition()).isEqualTo(Disposition.LATE);
		assertThat(engine.count(Disposition.LATE)).isEqualTo(1);
	}

	@Test
	void aPartitionClosesItsOwnWindowsAndFollowsTheOperatorWatermarkWhenIdle() {
		StreamEngine engine = engine(config(new WindowSpec.Tumbling(Duration.ofMinutes(1))));
		feed(engine, "p0", event("s1", 1, 10));
		feed(engine, "p1", event("s2", 1, 20));
		feed(engine, "p0", event("s1", 2, 130));
		assertThat(engine.watermark()).as("the slowest active partition holds the operator watermark")
			.isEqualTo(T0.plusSeconds(15));
		assertThat(engine.watermark("p0")).isEqualTo(T0.plusSeconds(125));
		assertThat(this.emitted).as("p0's window closed by p0's watermark")
			.extracting(WindowAggregate::sensorId)
			.containsExactly("s1");
		this.clock.advance(Duration.ofSeconds(20));
		feed(engine, "p0", event("s1", 3, 131));
		this.clock.advance(Duration.ofSeconds(11));
		engine.onTick().values().forEach(this.emitted::addAll);
		assertThat(engine.watermark()).as("p1 is idle").isEqualTo(T0.plusSeconds(126));
		assertThat(engine.watermark("p1")).isEqualTo(T0.plusSeconds(126));
		assertThat(this.emitted).extracting(WindowAggregate::sensorId).containsExactly("s1", "s2");
	}

	@Test
	void duplicatesAndEventsFromTheFarFutureAreNotCounted() {
		StreamEngine engine = engine(config(new WindowSpec.Tumbling(Duration.ofMinutes(1))));
		TelemetryEvent original = event("s1", 7, 5);
		feed(engine, "p0", original);
		assertThat(engine.onEvent("p0", original).disposition()).isEqualTo(Disposition.DUPLICATE);
		TelemetryEvent future = new TelemetryEvent("f", "s1", this.clock.instant().plus(Duration.ofMinutes(6)), 1.0,
				null, null, 1, null);
		assertThat(engine.onEvent("p0", future).disposition()).isEqualTo(Disposition.CLOCK_SKEW);
		feed(engine, "p0", event("s1", 1, 70));
		assertThat(this.emitted).singleElement().satisfies((aggregate) -> assertThat(aggregate.count()).isEqualTo(1));
		assertThat(engine.count(Disposition.DUPLICATE)).isEqualTo(1);
		assertThat(engine.count(Disposition.CLOCK_SKEW)).isEqualTo(1);
	}

	@Test
	void earlyResultsGrowTheirRevisionUntilTheFinalOne() {
		StreamEngine engine = engine(new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1))),
				Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(5),
				Duration.ofMinutes(10), Duration.ofSeconds(10), 0));
		feed(engine, "p0", event("s1", 1, 1));
		this.clock.advance(Duration.ofSeconds(10));
		engine.onTick().values().forEach(this.emitted::addAll);
		this.clock.advance(Duration.ofSeconds(10));
		engine.onTick().values().forEach(this.emitted::addAll);
		feed(engine, "p0", event("s1", 2, 2));
		this.clock.advance(Duration.ofSeconds(10));
		engine.onTick().values().forEach(this.emitted::addAll);
		feed(engine, "p0", event("s1", 3, 70));
		assertThat(this.emitted)
			.extracting((aggregate) -> aggregate.revision() + " " + aggregate.isFinal() + " " + aggregate.count())
			.containsExactly("0 false 1", "1 false 2", "2 true 2");
		assertThat(this.emitted.get(0).p50()).as("quantiles off").isNull();
	}

	private StreamEngine engine(EngineConfig config) {
		return new StreamEngine(config, this.clock);
	}

	private static EngineConfig config(WindowSpec window) {
		return new EngineConfig(List.of(window), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30),
				Duration.ofMinutes(5), Duration.ofMinutes(10), null, 0.01);
	}

	private void feed(StreamEngine engine, String partition, TelemetryEvent... events) {
		for (TelemetryEvent event : events) {
			StreamEngine.Result result = engine.onEvent(partition, event);
			assertThat(result.disposition()).isEqualTo(Disposition.ACCEPTED);
			this.emitted.addAll(result.emitted());
		}
	}

	private static TelemetryEvent event(String sensorId, double value, double secondsAfterT0) {
		return new TelemetryEvent(UUID.randomUUID().toString(), sensorId, T0.plusMillis((long) (secondsAfterT0 * 1000)),
				value, null, null, 1, null);
	}

}
