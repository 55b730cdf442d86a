package io.millrace.processing.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WindowOperatorTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private final WindowOperator operator = new WindowOperator(TumblingWindows.of(Duration.ofMinutes(1)),
			Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));

	private final List<WindowAggregate> emitted = new ArrayList<>();

	@Test
	void emitsNothingUntilTheWatermarkPassesTheWindowEnd() {
		feed(value("s1", 10, 1), value("s1", 50, 2), value("s1", 64, 3));
		assertThat(this.emitted).isEmpty();
		assertThat(this.operator.openSeries()).isEqualTo(2);
		feed(value("s1", 65, 4));
		assertThat(this.emitted).hasSize(1);
		assertThat(this.operator.openSeries()).isEqualTo(1);
	}

	@Test
	void computesTheStatisticsOfEachClosedWindow() {
		feed(value("s1", 30, 4), value("s1", 10, 2), value("s1", 20, 6), value("s1", 59.999, 8));
		feed(value("s1", 65, 0));
		WindowAggregate aggregate = this.emitted.get(0);
		assertThat(aggregate.sensorId()).isEqualTo("s1");
		assertThat(aggregate.metric()).isEqualTo("value");
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
		assertThat(aggregate.isFinal()).isTrue();
		assertThat(aggregate.revision()).isZero();
		assertThat(aggregate.emittedAt()).isEqualTo(NOW);
	}

	@Test
	void keepsSensorsAndMetricsApartAndEmitsInWindowOrder() {
		feed(measurements("s2", 1, Map.of("temperature", 91.0, "pressure", 2.0)),
				measurements("s1", 2, Map.of("temperature", 85.0)), value("s1", 70, 7), value("s1", 130, 1));
		assertThat(this.emitted)
			.extracting((aggregate) -> aggregate.window().start() + " " + aggregate.sensorId() + " "
					+ aggregate.metric() + " " + aggregate.max())
			.containsExactly(T0 + " s1 temperature 85.0", T0 + " s2 pressure 2.0", T0 + " s2 temperature 91.0",
					T0.plusSeconds(60) + " s1 value 7.0");
	}

	@Test
	void anEventWithinTheToleratedDisorderIsCountedAndALateOneIsReportedNotCounted() {
		feed(value("s1", 10, 1), value("s1", 62, 2));
		assertThat(this.operator.process(value("s1", 58, 3)).late()).as("58s is within 5s of 62s").isFalse();
		feed(value("s1", 66, 4));
		WindowOperator.Output late = this.operator.process(value("s1", 30, 100));
		assertThat(late.late()).isTrue();
		assertThat(late.closed()).isEmpty();
		assertThat(this.emitted).singleElement().satisfies((aggregate) -> {
			assertThat(aggregate.count()).isEqualTo(2);
			assertThat(aggregate.max()).isEqualTo(3.0);
		});
	}

	@Test
	void theWatermarkTrailsTheNewestEventByTheToleratedDisorder() {
		assertThat(this.operator.watermark()).isEqualTo(Instant.MIN);
		feed(value("s1", 100, 1), value("s1", 98, 1));
		assertThat(this.operator.watermark()).isEqualTo(T0.plusSeconds(95));
	}

	private void feed(TelemetryEvent... events) {
		for (TelemetryEvent event : events) {
			WindowOperator.Output output = this.operator.process(event);
			assertThat(output.late()).isFalse();
			this.emitted.addAll(output.closed());
		}
	}

	private static TelemetryEvent value(String sensorId, double secondsAfterT0, double value) {
		return new TelemetryEvent("e", sensorId, T0.plusMillis((long) (secondsAfterT0 * 1000)), value, null, null, 1,
				NOW);
	}

	private static TelemetryEvent measurements(String sensorId, double secondsAfterT0, Map<String, Double> readings) {
		return new TelemetryEvent("e", sensorId, T0.plusMillis((long) (secondsAfterT0 * 1000)), null, readings, null, 1,
				NOW);
	}

}
