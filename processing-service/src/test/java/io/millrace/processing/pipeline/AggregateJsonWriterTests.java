package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
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
					(random.nextInt(4) == 0) ? null : Instant.ofEpochSecond(1_764_000_000L, random.nextInt(1000)));
			assertThat(new String(AggregateJsonWriter.bytes(aggregate), StandardCharsets.UTF_8))
				.isEqualTo(new String(MillraceJson.bytes(aggregate), StandardCharsets.UTF_8));
		}
	}

	private static Double pick(Random random, Double[] numbers) {
		return numbers[random.nextInt(numbers.length)];
	}

	private static double pick(Random random, Double[] numbers, double instead) {
		Double number = pick(random, numbers);
		return (number != null) ? number : instead;
	}

}
