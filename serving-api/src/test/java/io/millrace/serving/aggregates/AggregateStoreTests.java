package io.millrace.serving.aggregates;

import java.time.Duration;
import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateStoreTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	private final AggregateStore store = new AggregateStore(Duration.ofHours(1));

	@Test
	void aFinalResultReplacesEarlyOnesAndIsNotReplacedByThem() {
		assertThat(this.store.upsert(aggregate("s1", "t", 0, 1, false, 0))).isTrue();
		assertThat(this.store.upsert(aggregate("s1", "t", 0, 2, false, 1))).isTrue();
		assertThat(this.store.upsert(aggregate("s1", "t", 0, 3, true, 1))).isTrue();
		assertThat(this.store.upsert(aggregate("s1", "t", 0, 4, false, 5))).isFalse();
		assertThat(this.store.upsert(aggregate("s1", "t", 0, 3, true, 1))).as("a replay").isFalse();
		assertThat(this.store.aggregates("s1", "t", null, null).orElseThrow()).singleElement()
			.satisfies((aggregate) -> assertThat(aggregate.max()).isEqualTo(3.0));
	}

	@Test
	void answersByMetricAndOverlapWithTheRange() {
		for (int minute = 0; minute < 5; minute++) {
			this.store.upsert(aggregate("s1", "temperature", minute, minute, true, 0));
			this.store.upsert(aggregate("s1", "humidity", minute, minute, true, 0));
		}
		assertThat(this.store.aggregates("s1", "temperature", T0.plusSeconds(90), T0.plusSeconds(180)).orElseThrow())
			.extracting(WindowAggregate::max)
			.containsExactly(1.0, 2.0);
		assertThat(this.store.aggregates("s1", null, null, T0.plusSeconds(60)).orElseThrow())
			.extracting(WindowAggregate::metric)
			.containsExactly("humidity", "temperature");
		assertThat(this.store.aggregates("nobody", null, null, null)).isEmpty();
	}

	@Test
	void listsSensorsWithTheirNewestWindowPerMetric() {
		this.store.upsert(aggregate("s2", "t", 3, 30, true, 0));
		this.store.upsert(aggregate("s1", "t", 1, 10, true, 0));
		this.store.upsert(aggregate("s1", "t", 2, 20, true, 0));
		this.store.upsert(aggregate("s1", "p", 0, 5, true, 0));
		assertThat(this.store.sensors()).extracting(AggregateStore.SensorSummary::sensorId).containsExactly("s1", "s2");
		AggregateStore.SensorSummary s1 = this.store.sensors().get(0);
		assertThat(s1.lastSeen()).isEqualTo(T0.plusSeconds(180));
		assertThat(s1.latest().get("t").max()).isEqualTo(20.0);
		assertThat(s1.latest().get("p").max()).isEqualTo(5.0);
	}

	@Test
	void forgetsWindowsOlderThanTheRetention() {
		this.store.upsert(aggregate("s1", "t", 0, 1, true, 0));
		this.store.upsert(aggregate("s1", "t", 60, 2, true, 0));
		this.store.upsert(aggregate("s1", "t", 61, 3, true, 0));
		assertThat(this.store.aggregates("s1", "t", null, null).orElseThrow()).extracting(WindowAggregate::max)
			.containsExactly(2.0, 3.0);
	}

	private static WindowAggregate aggregate(String sensor, String metric, int minute, double max, boolean isFinal,
			int revision) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plusSeconds(60L * minute), Duration.ofMinutes(1));
		return new WindowAggregate(sensor, metric, window, 1, max, max, max, max, 0.0, null, null, null, max, max,
				isFinal, revision, WindowAggregate.ON_TIME, T0);
	}

}
