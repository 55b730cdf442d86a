package io.millrace.lakehouse.pipeline;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.millrace.lakehouse.delta.CommitResult;
import io.millrace.lakehouse.sink.DeltaSinkTask;
import io.millrace.lakehouse.sink.SinkListener;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.task.TaskStatus;

/**
 * One table's {@code millrace_lakehouse_*} metrics, tagged {@code table}. Counters that
 * operators alert on exist at 0 from the start, so that {@code increase()} sees the first
 * one.
 */
final class LakehouseMetrics implements SinkListener {

	private final MeterRegistry registry;

	private final String table;

	private final Counter consumed;

	private final Counter rows;

	private final Counter bytes;

	private final Counter files;

	private final Counter commits;

	private final Counter hooks;

	private final Timer commitTimer;

	LakehouseMetrics(MeterRegistry registry, String table) {
		this.registry = registry;
		this.table = table;
		this.consumed = Counter.builder("millrace.lakehouse.records.consumed")
			.description("Records read from the table's input topic")
			.tag("table", table)
			.register(registry);
		this.rows = Counter.builder("millrace.lakehouse.rows.written")
			.description("Rows committed to the table")
			.tag("table", table)
			.register(registry);
		this.bytes = Counter.builder("millrace.lakehouse.written")
			.description("Bytes of Parquet files committed to the table")
			.baseUnit("bytes")
			.tag("table", table)
			.register(registry);
		this.files = Counter.builder("millrace.lakehouse.files.written")
			.description("Parquet files committed to the table")
			.tag("table", table)
			.register(registry);
		this.commits = Counter.builder("millrace.lakehouse.commits")
			.description("Delta commits (one per source partition per commit interval)")
			.tag("table", table)
			.register(registry);
		this.hooks = Counter.builder("millrace.lakehouse.post.commit.hooks")
			.description("Post-commit hooks (checkpoints, checksums) Kernel handed back and the writer ran")
			.tag("table", table)
			.register(registry);
		this.commitTimer = Timer.builder("millrace.lakehouse.commit")
			.description("Time to write a commit's Parquet files and commit them")
			.tag("table", table)
			.publishPercentiles(0.5, 0.99)
			.register(registry);
		for (String reason : new String[] { "replay", "filtered", DeadLetters.UNDECODABLE,
				DeadLetters.SCHEMA_INVALID }) {
			skipped(reason).increment(0);
		}
		for (String reason : new String[] { DeadLetters.UNDECODABLE, DeadLetters.SCHEMA_INVALID }) {
			deadLetters(reason).increment(0);
		}
		for (String reason : new String[] { "delivery", "storage", "fenced" }) {
			failures(reason).increment(0);
		}
	}

	/**
	 * The gauges read from what the task publishes.
	 * @param task the table's task
	 */
	void gauges(DeltaSinkTask<?> task) {
		Gauge.builder("millrace.lakehouse.uncommitted.records", () -> task.status().heldRecords())
			.description("Rows and dead letters taken from the input and not yet committed")
			.tag("table", this.table)
			.register(this.registry);
		Gauge.builder("millrace.lakehouse.committed.offset.lag", () -> offsetLag(task))
			.description("Records taken from the input above the last offset committed to the table, over the "
					+ "partitions this instance owns (skipped records count until a commit covers them)")
			.tag("table", this.table)
			.register(this.registry);
		Gauge.builder("millrace.lakehouse.last.commit.age", () -> secondsSince(task.status().lastCheckpointAt()))
			.description("Processing time since every taken record was last in the table (NaN before the first)")
			.tag("table", this.table)
			.baseUnit("seconds")
			.register(this.registry);
		Gauge.builder("millrace.lakehouse.input.stalled", () -> stalledSeconds(task.status()))
			.description("How long the input has been held on a failing commit (0 while it runs)")
			.tag("table", this.table)
			.baseUnit("seconds")
			.register(this.registry);
	}

	private static double offsetLag(DeltaSinkTask<?> task) {
		Map<String, Long> committed = task.committedOffsets();
		long lag = 0;
		for (Map.Entry<String, Long> next : task.status().nextOffsets().entrySet()) {
			if (next.getValue() < 0) {
				continue;
			}
			long last = next.getValue() - 1;
			lag += Math.max(0, last - committed.getOrDefault(next.getKey(), -1L));
		}
		return lag;
	}

	private static double secondsSince(long at) {
		return (at == 0) ? Double.NaN : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
	}

	private static double stalledSeconds(TaskStatus status) {
		return status.failing() ? Math.max(0, System.currentTimeMillis() - status.failingSince()) / 1000.0 : 0;
	}

	private Counter skipped(String reason) {
		return Counter.builder("millrace.lakehouse.records.skipped")
			.description("Records not written: replay (at or below the committed offset), filtered (not for "
					+ "this table, e.g. non-final aggregates), or rejected and not dead-lettered")
			.tag("table", this.table)
			.tag("reason", reason)
			.register(this.registry);
	}

	private Counter deadLetters(String reason) {
		return Counter.builder("millrace.lakehouse.deadlettered")
			.description("Records dead-lettered because they break the input's contract, by reason")
			.tag("table", this.table)
			.tag("reason", reason)
			.register(this.registry);
	}

	private Counter failures(String reason) {
		return Counter.builder("millrace.lakehouse.commit.failures")
			.description("Commits not made: delivery (dead letters not acknowledged), storage (retried), fenced "
					+ "(another writer had committed the partition; resumed after it)")
			.tag("table", this.table)
			.tag("reason", reason)
			.register(this.registry);
	}

	@Override
	public void consumed(int records) {
		this.consumed.increment(records);
	}

	@Override
	public void replaySkipped() {
		skipped("replay").increment();
	}

	@Override
	public void filtered() {
		skipped("filtered").increment();
	}

	@Override
	public void deadLettered(String reason) {
		deadLetters(reason).increment();
	}

	@Override
	public void rejectedSkipped(String reason) {
		skipped(reason).increment();
	}

	@Override
	public void committed(CommitResult result, long nanos) {
		this.commits.increment();
		this.rows.increment(result.rows());
		this.bytes.increment(result.bytes());
		this.files.increment(result.files());
		this.hooks.increment(result.hooksRun());
		this.commitTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	@Override
	public void fenced() {
		failures("fenced").increment();
	}

	@Override
	public void commitFailed(String reason) {
		failures(reason).increment();
	}

}
