package io.millrace.processing.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recent progress per input partition, in the spirit of Spark's
 * {@code StreamingQueryProgress}: processing is cut into intervals ("batches") of the
 * configured length, and for each one the tracker reports how many records arrived, how
 * fast they arrived and were processed, the event-time range seen, the watermark and the
 * state held. Thread-safe.
 */
public final class ProgressTracker {

	private final Clock clock;

	private final Duration interval;

	private final int retained;

	private final Map<String, PartitionProgress> partitions = new TreeMap<>();

	private Instant batchStart;

	private long batchId;

	/**
	 * A tracker.
	 * @param clock processing-time clock
	 * @param interval the length of one batch
	 * @param retained how many batches to keep per partition
	 */
	public ProgressTracker(Clock clock, Duration interval, int retained) {
		this.clock = clock;
		this.interval = interval;
		this.retained = retained;
		this.batchStart = clock.instant();
	}

	/**
	 * Account for one record.
	 * @param partition the input partition
	 * @param eventTime its event time, or {@code null} when it could not be read
	 * @param processingNanos time spent processing it
	 */
	public synchronized void recorded(String partition, Instant eventTime, long processingNanos) {
		this.partitions.computeIfAbsent(partition, (key) -> new PartitionProgress())
			.recorded(eventTime, processingNanos);
	}

	/**
	 * Close the current batch if it is due.
	 * @param watermark the operator watermark now
	 * @param stateRows open windows now
	 * @return whether a batch was closed
	 */
	public synchronized boolean closeBatchIfDue(Instant watermark, long stateRows) {
		Instant now = this.clock.instant();
		if (Duration.between(this.batchStart, now).compareTo(this.interval) < 0) {
			return false;
		}
		double seconds = Math.max(1, Duration.between(this.batchStart, now).toMillis()) / 1000.0;
		for (Map.Entry<String, PartitionProgress> entry : this.partitions.entrySet()) {
			entry.getValue().close(this.batchId, this.batchStart, now, seconds, watermark, stateRows, this.retained);
		}
		this.batchId++;
		this.batchStart = now;
		return true;
	}

	/**
	 * The retained batches of every partition, newest last.
	 * @return partition to its recent progress
	 */
	public synchronized Map<String, List<BatchProgress>> recent() {
		Map<String, List<BatchProgress>> recent = new TreeMap<>();
		this.partitions.forEach((partition, progress) -> recent.put(partition, new ArrayList<>(progress.batches)));
		return recent;
	}

	/**
	 * One batch of one partition.
	 *
	 * @param batchId sequence number of the batch, shared by all partitions
	 * @param timestamp start of the batch (processing time)
	 * @param durationMs length of the batch
	 * @param numInputRows records received from the partition
	 * @param inputRowsPerSecond records received per second of the batch
	 * @param processedRowsPerSecond records processed per second spent processing
	 * @param eventTime minimum and maximum event time seen and the watermark at the end
	 * @param stateRows open windows held by the operator at the end of the batch
	 */
	public record BatchProgress(long batchId, Instant timestamp, long durationMs, long numInputRows,
			double inputRowsPerSecond, double processedRowsPerSecond, EventTime eventTime, long stateRows) {
	}

	/**
	 * Event time of one batch.
	 *
	 * @param min earliest event time seen, if any
	 * @param max latest event time seen, if any
	 * @param watermark the operator watermark at the end of the batch
	 */
	public record EventTime(Instant min, Instant max, Instant watermark) {
	}

	private static final class PartitionProgress {

		private final Deque<BatchProgress> batches = new ArrayDeque<>();

		private long rows;

		private long nanos;

		private Instant minEventTime;

		private Instant maxEventTime;

		void recorded(Instant eventTime, long processingNanos) {
			this.rows++;
			this.nanos += processingNanos;
			if (eventTime != null) {
				if (this.minEventTime == null || eventTime.isBefore(this.minEventTime)) {
					this.minEventTime = eventTime;
				}
				if (this.maxEventTime == null || eventTime.isAfter(this.maxEventTime)) {
					this.maxEventTime = eventTime;
				}
			}
		}

		void close(long batchId, Instant start, Instant end, double seconds, Instant watermark, long stateRows,
				int retained) {
			double processed = (this.nanos > 0) ? this.rows / (this.nanos / 1e9) : 0;
			this.batches.addLast(new BatchProgress(batchId, start, Duration.between(start, end).toMillis(), this.rows,
					this.rows / seconds, processed, new EventTime(this.minEventTime, this.maxEventTime,
							watermark.equals(Instant.MIN) ? null : watermark),
					stateRows));
			while (this.batches.size() > retained) {
				this.batches.removeFirst();
			}
			this.rows = 0;
			this.nanos = 0;
			this.minEventTime = null;
			this.maxEventTime = null;
		}

	}

}
