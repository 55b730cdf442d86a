package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator writes the very bytes the contract mapper writes. */
class AggregateJsonWriterTests {

	@Test
	void writesWhatTheContractMapperWrites() {
		Random random = new Random(11);
		Double[] numbers = { null, 0.0, -0.0, 1.5, -1e-300, 1e300, Double.NaN, Double.POSITIVE_INFINITY, 42.0,
				0.1 + 0.2 };
		String[] sensors = { "s-1", "sénsor \"quoted\" \\ \u0001", "\uD83D\uDE00", "" };
		for (int i = 0; i < 5_000; i++) {
			Instant start = Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L)
				.plusNanos((random.nextInt(3) == 0) ? random.nextInt(1_000_000) : 0);
			AggregateWindow window = switch (random.nextInt(4)) {
				case 0 -> AggregateWindow.tumbling(start, Duration.ofMinutes(1));
				case 1 -> new AggregateWindow("hopping", start, start.plusSeconds(300), Duration.ofMinutes(5),
						Duration.ofMinutes(1), null);
				case 2 ->
					new AggregateWindow("session", start, start.plusMillis(1234), null, null, Duration.ofSeconds(30));
				default -> null;
			};
			WindowAggregate aggregate = new WindowAggregate(sensors[random.nextInt(sensors.length)],
					(random.nextInt(5) == 0) ? null : "value", window, random.nextInt(1000), pick(random, numbers, 1.0),
					pick(random, numbers, 2.0), pick(random, numbers, 3.0), pick(random, numbers, 4.0),
					pick(random, numbers), pick(random, numbers), pick(random, numbers), pick(random, numbers),
					pick(random, numbers), pick(random, numbers), random.nextBoolean(), random.nextInt(5),
					(random.nextInt(4) == 0) ? null : WindowAggregate.ON_TIME,
					(random.nextInt(4) == 0) ? null : Instant.ofEpochSecond(1_764_000_000L, random.nextInt(1000)),
					sketch(random));
			assertThat(new String(AggregateJsonWriter.bytes(aggregate), StandardCharsets.UTF_8))
				.isEqualTo(new String(MillraceJson.bytes(aggregate), StandardCharsets.UTF_8));
		}
	}

	@Test
	void leavesTheSketchOutWhenSketchesAreNotEmitted() {
		WindowSketch sketch = new WindowSketch.Accumulator(0.01).add(1).add(-2).add(0).toSketch();
		WindowAggregate aggregate = new WindowAggregate("s", "value",
				AggregateWindow.tumbling(Instant.EPOCH, Duration.ofMinutes(1)), 3, -1, -2, 1, -1 / 3.0, null, null,
				null, null, null, null, true, 0, WindowAggregate.ON_TIME, Instant.EPOCH, sketch);
		assertThat(AggregateJsonWriter.bytes(aggregate, false))
			.isEqualTo(MillraceJson.bytes(aggregate.withSketch(null)));
		assertThat(new String(AggregateJsonWriter.bytes(aggregate, true), StandardCharsets.UTF_8)).endsWith(
				",\"sketch\":{\"relativeAccuracy\":0.01,\"zeroCount\":1,\"positive\":{\"offset\":0,\"counts\":[1]},"
						+ "\"negative\":{\"offset\":35,\"counts\":[1]}}}");
	}

	/** No sketch, or one of random readings (some of every sign). */
	private static WindowSketch sketch(Random random) {
		if (random.nextBoolean()) {
			return null;
		}
		WindowSketch.Accumulator accumulator = new WindowSketch.Accumulator((random.nextBoolean()) ? 0.01 : 0.02);
		for (int i = random.nextInt(50); i > 0; i--) {
			accumulator.add(random.nextGaussian() * Math.pow(10, random.nextInt(6)));
		}
		return accumulator.toSketch();
	}

	private static Double pick(Random random, Double[] numbers) {
		return numbers[random.nextInt(numbers.length)];
	}

	private static double pick(Random random, Double[] numbers, double instead) {
		Double number = pick(random, numbers);
		return (number != null) ? number : instead;
	}

}
