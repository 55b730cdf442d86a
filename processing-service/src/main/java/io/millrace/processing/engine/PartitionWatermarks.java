package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Event-time progress over input partitions. A partition's watermark is its newest event
 * time minus the tolerated disorder. The operator's watermark is the smallest over the
 * partitions that had events within the idle timeout, so an idle partition does not hold
 * it back; when every partition is idle the largest partition watermark is used, so the
 * last windows close once traffic stops. The operator watermark never goes back.
 */
final class PartitionWatermarks {

	/**
	 * "No watermark yet": far enough from {@code Long.MIN_VALUE} that arithmetic on it
	 * cannot overflow.
	 */
	static final long NONE = Long.MIN_VALUE / 4;

	private final long maxOutOfOrderness;

	private final long idleTimeout;

	private final Map<String, Partition> partitions = new HashMap<>();

	private long watermark = NONE;

	PartitionWatermarks(long maxOutOfOrdernessMillis, long idleTimeoutMillis) {
		this.maxOutOfOrderness = maxOutOfOrdernessMillis;
		this.idleTimeout = idleTimeoutMillis;
	}

	void observe(String partition, long eventTime, long now) {
		Partition state = this.partitions.computeIfAbsent(partition, (key) -> new Partition());
		state.maxEventTime = Math.max(state.maxEventTime, eventTime);
		state.lastActivity = now;
	}

	/**
	 * The operator watermark at processing time {@code now}.
	 * @param now processing time, in milliseconds
	 * @return the watermark in milliseconds, {@link #NONE} before any event
	 */
	long current(long now) {
		long activeMin = Long.MAX_VALUE;
		long overallMax = NONE;
		for (Partition partition : this.partitions.values()) {
			long partitionWatermark = partition.maxEventTime - this.maxOutOfOrderness;
			overallMax = Math.max(overallMax, partitionWatermark);
			if (now - partition.lastActivity < this.idleTimeout) {
				activeMin = Math.min(activeMin, partitionWatermark);
			}
		}
		long candidate = (activeMin != Long.MAX_VALUE) ? activeMin : overallMax;
		this.watermark = Math.max(this.watermark, candidate);
		return this.watermark;
	}

	/**
	 * A partition's own watermark.
	 * @param partition the partition
	 * @return its newest event time minus the tolerated disorder, or {@link #NONE}
	 */
	long of(String partition) {
		Partition state = this.partitions.get(partition);
		return (state != null) ? state.maxEventTime - this.maxOutOfOrderness : NONE;
	}

	boolean isIdle(String partition, long now) {
		Partition state = this.partitions.get(partition);
		return state == null || now - state.lastActivity >= this.idleTimeout;
	}

	void writePartitionTo(String partition, DataOutput out) throws IOException {
		Partition state = this.partitions.get(partition);
		out.writeBoolean(state != null);
		if (state != null) {
			out.writeLong(state.maxEventTime);
		}
	}

	/**
	 * Read what {@link #writePartitionTo} wrote.
	 * @return the partition's newest event time, or empty if it had none
	 */
	static OptionalLong readPartition(DataInput in) throws IOException {
		return in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty();
	}

	/**
	 * Take a partition over from a snapshot, replacing what was known of it. Its idle
	 * time starts now: it was just assigned, and its records are about to be replayed.
	 */
	void takeOver(String partition, OptionalLong maxEventTime, long now) {
		this.partitions.remove(partition);
		if (maxEventTime.isPresent()) {
			Partition state = new Partition();
			state.maxEventTime = maxEventTime.getAsLong();
			state.lastActivity = now;
			this.partitions.put(partition, state);
		}
	}

	void remove(String partition) {
		this.partitions.remove(partition);
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeLong(this.watermark);
		out.writeInt(this.partitions.size());
		for (Map.Entry<String, Partition> entry : this.partitions.entrySet()) {
			out.writeUTF(entry.getKey());
			out.writeLong(entry.getValue().maxEventTime);
			out.writeLong(entry.getValue().lastActivity);
		}
	}

	void readFrom(DataInput in) throws IOException {
		this.partitions.clear();
		this.watermark = in.readLong();
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			Partition partition = new Partition();
			String id = in.readUTF();
			partition.maxEventTime = in.readLong();
			partition.lastActivity = in.readLong();
			this.partitions.put(id, partition);
		}
	}

	private static final class Partition {

		private long maxEventTime = NONE;

		private long lastActivity;

	}

}
