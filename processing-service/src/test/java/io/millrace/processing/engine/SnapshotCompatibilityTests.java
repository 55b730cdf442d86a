package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.millrace.model.aggregate.WindowAggregate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

/**
 * Checkpoints written before the compact in-memory sketch (dense bucket arrays, format
 * "MRP" version 2) still restore, to exactly the results the engine that wrote them
 * computed. The resources were written by the engine of commit a7877c0: a partition
 * snapshot of a stream over 20 sensors with all four window kinds, quantiles at 1%,
 * negative, zero and tiny readings and a second metric, and what that engine drained
 * after restoring it (every statistic, quantiles included, printed in full).
 */
class SnapshotCompatibilityTests {

	private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

	static EngineConfig config() {
		return new EngineConfig(
				List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1)),
						new WindowSpec.Hopping(Duration.ofMinutes(2), Duration.ofSeconds(30)),
						new WindowSpec.Sliding(Duration.ofSeconds(20)),
						new WindowSpec.Session(Duration.ofSeconds(15), Duration.ofMinutes(2))),
				Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(5),
				Duration.ofMinutes(10), null, 0.01);
	}

	@Test
	void aPartitionSnapshotOfTheDenseSketchEngineRestoresToTheSameResults() throws IOException {
		byte[] snapshot = resource("partition-p0-v2.snapshot");
		StreamEngine engine = new StreamEngine(config(), Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
		assertThat(engine.restorePartition(snapshot)).isEqualTo("p0");
		StringBuilder drained = new StringBuilder();
		for (WindowAggregate aggregate : engine.drain()) {
			drained.append(line(aggregate)).append('\n');
		}
		assertThat(drained.toString())
			.isEqualTo(new String(resource("partition-p0-v2.drained.txt"), StandardCharsets.UTF_8));
	}

	@Test
	void aRestoredSnapshotWrittenAgainIsStableAndRestoresToTheSameResults() throws IOException {
		// No format version moved: the compact window layout changed the heap, not the
		// checkpoint. The bytes are not the file's own, because the dedupe memory
		// (Deduplicator's per-second buckets) writes the same ids in another order; the
		// format is the same, and what it restores to is.
		byte[] snapshot = resource("partition-p0-v2.snapshot");
		StreamEngine engine = new StreamEngine(config(), Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
		engine.restorePartition(snapshot);
		byte[] again = engine.snapshotPartition("p0");
		assertThat(again).hasSameSizeAs(snapshot);
		StreamEngine second = new StreamEngine(config(), Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
		assertThat(second.restorePartition(again)).isEqualTo("p0");
		assertThat(second.snapshotPartition("p0")).isEqualTo(again);
		StringBuilder drained = new StringBuilder();
		for (WindowAggregate aggregate : second.drain()) {
			drained.append(line(aggregate)).append('\n');
		}
		assertThat(drained.toString())
			.isEqualTo(new String(resource("partition-p0-v2.drained.txt"), StandardCharsets.UTF_8));
	}

	@Test
	void aSnapshotTakenWithoutSketchesIsRefusedByAnEngineWithThemNamingTheConfiguration() throws IOException {
		byte[] snapshot = resource("partition-p0-v2.snapshot");
		EngineConfig other = new EngineConfig(config().windows(), config().maxOutOfOrderness(),
				config().allowedLateness(), config().idleTimeout(), config().maxClockSkew(), config().dedupeHorizon(),
				null, 0);
		StreamEngine engine = new StreamEngine(other, Clock.fixed(T0, ZoneOffset.UTC));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.restorePartition(snapshot))
			.withMessageContaining("another configuration")
			.withMessageContaining("quantiles=0.01");
	}

	@Test
	void bucketCountsPastTwoToTheThirtyTwoAreKeptWhole() throws IOException {
		SketchBins bins = new SketchBins();
		SketchMapping mapping = new SketchMapping(0.01);
		long huge = 3L * 0xFFFF_FFFFL + 5;
		bins.addToBin(mapping.keyOf(42), huge);
		bins.addToBin(mapping.keyOf(-7), 3);
		bins.addToBin(mapping.keyOf(42));
		assertThat(bins.binTotal()).isEqualTo(huge + 4);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bins.writeBins(0.01, new DataOutputStream(bytes));
		SketchBins read = new SketchBins();
		read.readBins(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
		assertThat(read.binTotal()).isEqualTo(huge + 4);
		int[] keys = new int[3];
		read.keysAtRanks(new long[] { 0, 3, huge + 3 }, keys);
		assertThat(mapping.valueOf(keys[0])).isNegative();
		assertThat(mapping.valueOf(keys[1])).isCloseTo(42, offset(0.42));
		assertThat(mapping.valueOf(keys[2])).isCloseTo(42, offset(0.42));
	}

	@Test
	void quantilesStayWithinTheAccuracyOverAWideRangeOfBothSigns() {
		// Values spread over many orders of magnitude, in both signs: many sparse buckets
		// far apart, where the dense store spanned the whole range.
		Random random = new Random(5);
		QuantileSketch sketch = new QuantileSketch(0.01);
		double[] values = new double[2000];
		for (int i = 0; i < values.length; i++) {
			values[i] = (random.nextBoolean() ? 1 : -1) * Math.exp(random.nextGaussian() * 20);
			sketch.add(values[i]);
		}
		Arrays.sort(values);
		for (double q : new double[] { 0, 0.25, 0.5, 0.75, 0.99, 1 }) {
			double exact = values[(int) Math.floor(q * (values.length - 1))];
			assertThat(sketch.quantile(q)).isCloseTo(exact, offset(Math.abs(exact) * 0.01 + 1e-300));
		}
	}

	private static String line(WindowAggregate a) {
		return String.join(" ", a.sensorId(), a.metric(), a.window().kind(), String.valueOf(a.window().start()),
				String.valueOf(a.window().end()), String.valueOf(a.count()), String.valueOf(a.sum()),
				String.valueOf(a.min()), String.valueOf(a.max()), String.valueOf(a.stddev()), String.valueOf(a.p50()),
				String.valueOf(a.p95()), String.valueOf(a.p99()), String.valueOf(a.firstValue()),
				String.valueOf(a.lastValue()), String.valueOf(a.isFinal()), String.valueOf(a.revision()));
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = SnapshotCompatibilityTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

}
