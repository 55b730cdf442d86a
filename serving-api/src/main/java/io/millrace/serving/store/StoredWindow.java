package io.millrace.serving.store;

import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;

/**
 * One window aggregate as the store holds it: its statistics as primitives (absent
 * optional statistics as {@code NaN}), its window as epoch milliseconds, and a reference
 * to its series for the names. Immutable: an upsert replaces the whole object, so a
 * reader sees one version or the other, never a mix. About a third of the decoded
 * record's footprint (docs/benchmarks.md).
 */
public final class StoredWindow {

	private static final String[] TIMINGS = { null, WindowAggregate.EARLY, WindowAggregate.ON_TIME,
			WindowAggregate.LATE };

	final Series series;

	final long start;

	final long end;

	final long count;

	final double sum;

	final double min;

	final double max;

	final double avg;

	final double stddev;

	final double p50;

	final double p95;

	final double p99;

	final double firstValue;

	final double lastValue;

	final long emittedAt;

	final long sequence;

	final int revision;

	final boolean isFinal;

	final byte timing;

	/**
	 * The window's quantile sketch in its binary form ({@link WindowSketch#toBytes()}, a
	 * few dozen bytes), or {@code null} when the aggregate carried none.
	 */
	final byte[] sketch;

	StoredWindow(Series series, WindowAggregate aggregate, long sequence) {
		this.series = series;
		this.start = aggregate.window().start().toEpochMilli();
		this.end = aggregate.window().end().toEpochMilli();
		this.count = aggregate.count();
		this.sum = aggregate.sum();
		this.min = aggregate.min();
		this.max = aggregate.max();
		this.avg = aggregate.avg();
		this.stddev = primitive(aggregate.stddev());
		this.p50 = primitive(aggregate.p50());
		this.p95 = primitive(aggregate.p95());
		this.p99 = primitive(aggregate.p99());
		this.firstValue = primitive(aggregate.firstValue());
		this.lastValue = primitive(aggregate.lastValue());
		this.emittedAt = (aggregate.emittedAt() != null) ? aggregate.emittedAt().toEpochMilli() : Long.MIN_VALUE;
		this.sequence = sequence;
		this.revision = aggregate.revision();
		this.isFinal = aggregate.isFinal();
		this.timing = timing(aggregate.timing());
		this.sketch = (aggregate.sketch() != null) ? aggregate.sketch().toBytes() : null;
	}

	private static double primitive(Double value) {
		return (value != null) ? value : Double.NaN;
	}

	private static Double boxed(double value) {
		return Double.isNaN(value) ? null : value;
	}

	private static byte timing(String timing) {
		for (byte i = 1; i < TIMINGS.length; i++) {
			if (TIMINGS[i].equals(timing)) {
				return i;
			}
		}
		return 0;
	}

	/**
	 * @return the aggregate as the contract has it
	 */
	public WindowAggregate toAggregate() {
		SeriesKey key = this.series.key();
		AggregateWindow window = new AggregateWindow(key.kind(), Instant.ofEpochMilli(this.start),
				Instant.ofEpochMilli(this.end), key.size(), key.advance(), key.gap());
		return new WindowAggregate(this.series.sensorId(), key.metric(), window, this.count, this.sum, this.min,
				this.max, this.avg, boxed(this.stddev), boxed(this.p50), boxed(this.p95), boxed(this.p99),
				boxed(this.firstValue), boxed(this.lastValue), this.isFinal, this.revision, TIMINGS[this.timing],
				(this.emittedAt != Long.MIN_VALUE) ? Instant.ofEpochMilli(this.emittedAt) : null,
				(this.sketch != null) ? WindowSketch.fromBytes(this.sketch) : null);
	}

	/**
	 * @return the store-wide sequence number of the upsert that stored this version
	 */
	public long sequence() {
		return this.sequence;
	}

	public Series series() {
		return this.series;
	}

	public long startMillis() {
		return this.start;
	}

	public long endMillis() {
		return this.end;
	}

	public long count() {
		return this.count;
	}

	public double sum() {
		return this.sum;
	}

	public double min() {
		return this.min;
	}

	public double max() {
		return this.max;
	}

	public double avg() {
		return this.avg;
	}

	/**
	 * @return the population standard deviation, or {@code NaN} when not computed
	 */
	public double stddev() {
		return this.stddev;
	}

	/**
	 * @param quantile 50, 95 or 99
	 * @return that quantile's estimate, or {@code NaN} when not computed
	 */
	public double percentile(int quantile) {
		return switch (quantile) {
			case 50 -> this.p50;
			case 95 -> this.p95;
			case 99 -> this.p99;
			default -> throw new IllegalArgumentException("No p" + quantile);
		};
	}

	/**
	 * @return the first reading by event time, or {@code NaN} when not computed
	 */
	public double firstValue() {
		return this.firstValue;
	}

	/**
	 * @return the last reading by event time, or {@code NaN} when not computed
	 */
	public double lastValue() {
		return this.lastValue;
	}

	/**
	 * @return the relative accuracy of the window's sketch, or {@code NaN} when it has
	 * none
	 */
	public double sketchAccuracy() {
		return (this.sketch != null) ? WindowSketch.relativeAccuracyOf(this.sketch) : Double.NaN;
	}

	/**
	 * Merge the window's sketch into a bin's or a range's, without decoding it into
	 * objects.
	 * @param accumulator where to add its counts
	 * @return false when the window has no sketch
	 */
	public boolean mergeSketchInto(WindowSketch.Accumulator accumulator) {
		if (this.sketch == null) {
			return false;
		}
		accumulator.mergeBytes(this.sketch);
		return true;
	}

	public boolean isFinal() {
		return this.isFinal;
	}

	public int revision() {
		return this.revision;
	}

	public long emittedAtMillis() {
		return this.emittedAt;
	}

	/**
	 * The contract's upsert rule: a final result replaces an early one; otherwise a
	 * higher revision replaces a lower one. A replay (same finality and revision) changes
	 * nothing.
	 * @param incoming a new version of this window
	 * @return whether it replaces this one
	 */
	boolean isSupersededBy(WindowAggregate incoming) {
		if (incoming.isFinal() != this.isFinal) {
			return incoming.isFinal();
		}
		return incoming.revision() > this.revision;
	}

}
