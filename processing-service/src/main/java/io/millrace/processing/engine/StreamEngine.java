package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Event-time windowed aggregation of telemetry, in the semantics of Flink, Kafka Streams
 * and Structured Streaming: several window kinds at once per (sensor, metric), watermarks
 * per input partition, allowed lateness with revisions, optional early results, and
 * dedupe by event id within a horizon.
 * <p>
 * State is kept per input partition ({@link PartitionState}). One sensor's events all
 * arrive in one partition, so a partition's windows are closed by that partition's own
 * watermark, as Kafka Streams closes them by its task's stream time: waiting for other
 * partitions would add latency but no data. This makes each partition's results a
 * function of its own input alone, however the partitions interleave, which is what lets
 * a restored partition replay its records and emit exactly what it emitted before. The
 * operator watermark (the minimum over active partitions) is what a partition that has
 * been idle for the idle timeout follows, so its last windows still close.
 * <p>
 * Each event gets one {@link Disposition}; nothing is dropped without one: a duplicate,
 * an event too late for every window it belongs to, and an event stamped too far in the
 * future are reported, not aggregated.
 * <p>
 * Not thread-safe: callers serialize all calls.
 */
public final class StreamEngine {

	/** "MRS" and format version 3. */
	private static final int SNAPSHOT_MAGIC = 0x4D525303;

	/** "MRP" and format version 2. */
	private static final int PARTITION_SNAPSHOT_MAGIC = 0x4D525002;

	/**
	 * "MRD" and format version 1: the changes of one partition since its last snapshot.
	 */
	private static final int PARTITION_CHANGES_MAGIC = 0x4D524401;

	private final EngineConfig config;

	private final Clock clock;

	private final Emission emission;

	private final PartitionWatermarks watermarks;

	private final Map<String, PartitionState> partitions = new TreeMap<>();

	/** Events by disposition, indexed by ordinal. */
	private final long[] dispositions = new long[Disposition.values().length];

	/**
	 * Aggregates emitted, by window kind; mutable counters, so counting boxes nothing.
	 */
	private final Map<String, long[]> emittedByKind = new TreeMap<>();

	/** Where an event's results are collected; copied out only when there are some. */
	private final List<WindowAggregate> scratch = new ArrayList<>();

	private long lastEarlyEmission;

	public StreamEngine(EngineConfig config, Clock clock) {
		this.config = config;
		this.clock = clock;
		this.emission = Emission.of(config.allowedLateness().toMillis(), config.quantileAccuracy(), clock);
		for (WindowSpec spec : config.windows()) {
			this.emittedByKind.put(spec.kind(), new long[1]);
		}
		this.watermarks = new PartitionWatermarks(config.maxOutOfOrderness().toMillis(),
				config.idleTimeout().toMillis());
		this.lastEarlyEmission = clock.millis();
	}

	private PartitionState partition(String partition) {
		PartitionState state = this.partitions.get(partition);
		if (state == null) {
			state = newPartitionState();
			this.partitions.put(partition, state);
		}
		return state;
	}

	private PartitionState newPartitionState() {
		List<WindowStore> stores = new ArrayList<>();
		for (WindowSpec spec : this.config.windows()) {
			stores.add(storeFor(spec));
		}
		return new PartitionState(stores, new Deduplicator(this.config.dedupeHorizon().toMillis()));
	}

	private WindowStore storeFor(WindowSpec spec) {
		if (spec instanceof WindowSpec.Sliding sliding) {
			return new SlidingStore(sliding, this.emission);
		}
		if (spec instanceof WindowSpec.Session session) {
			return new SessionStore(session, this.emission);
		}
		return new AlignedWindowStore(spec, this.emission);
	}

	/**
	 * Process one valid event.
	 * @param partition the input partition it came from
	 * @param event the event
	 * @return what happened to it, and the results of its partition it completed or
	 * changed
	 */
	public Result onEvent(String partition, TelemetryEvent event) {
		long now = this.clock.millis();
		long eventTime = event.timestamp().toEpochMilli();
		// Judged against the time ingest received the event when it says, so a replay
		// judges it the same way.
		long received = (event.ingestedAt() != null) ? event.ingestedAt().toEpochMilli() : now;
		if (eventTime > received + this.config.maxClockSkew().toMillis()) {
			return count(Disposition.CLOCK_SKEW, List.of());
		}
		PartitionState state = partition(partition);
		if (state.deduplicator().isDuplicate(event.eventId())) {
			return count(Disposition.DUPLICATE, List.of());
		}
		List<WindowAggregate> out = this.scratch;
		out.clear();
		boolean added = false;
		Map<String, Double> measurements = event.measurements();
		// The same readings as TelemetryEvent.metrics(), without building a map per
		// event.
		if (event.value() != null
				&& (measurements == null || measurements.get(TelemetryEvent.DEFAULT_METRIC) == null)) {
			added = addReading(state, event.sensorId(), TelemetryEvent.DEFAULT_METRIC, eventTime, event.value(), out);
		}
		if (measurements != null) {
			for (Map.Entry<String, Double> reading : measurements.entrySet()) {
				if (reading.getValue() != null) {
					added |= addReading(state, event.sensorId(), reading.getKey(), eventTime, reading.getValue(), out);
				}
			}
		}
		if (!added) {
			return count(Disposition.LATE, out);
		}
		state.deduplicator().remember(event.eventId(), eventTime);
		this.watermarks.observe(partition, eventTime, now);
		state.advanceTo(this.watermarks.of(partition), out);
		return count(Disposition.ACCEPTED, out);
	}

	private boolean addReading(PartitionState state, String sensorId, String metric, long eventTime, double value,
			List<WindowAggregate> out) {
		return state.add(new SeriesKey(sensorId, metric), eventTime, value, this.emission.sketchKeyOf(value), out);
	}

	/**
	 * Let processing time pass without events: partitions idle for the idle timeout
	 * follow the operator watermark, and early results are emitted when due.
	 * @return the results this produced, by input partition
	 */
	public Map<String, List<WindowAggregate>> onTick() {
		long now = this.clock.millis();
		long operator = this.watermarks.current(now);
		boolean early = this.config.earlyEmissionInterval() != null
				&& now - this.lastEarlyEmission >= this.config.earlyEmissionInterval().toMillis();
		if (early) {
			this.lastEarlyEmission = now;
		}
		Map<String, List<WindowAggregate>> results = new TreeMap<>();
		for (Map.Entry<String, PartitionState> entry : this.partitions.entrySet()) {
			List<WindowAggregate> out = new ArrayList<>();
			if (this.watermarks.isIdle(entry.getKey(), now)) {
				entry.getValue().advanceTo(operator, out);
			}
			if (early) {
				entry.getValue().emitEarly(out);
			}
			if (!out.isEmpty()) {
				tally(out);
				results.put(entry.getKey(), out);
			}
		}
		return results;
	}

	/**
	 * The input has ended: emit every open window as final.
	 * @return the final results
	 */
	public List<WindowAggregate> drain() {
		List<WindowAggregate> out = new ArrayList<>();
		for (PartitionState state : this.partitions.values()) {
			state.advanceTo(Long.MAX_VALUE / 4, out);
		}
		tally(out);
		return out;
	}

	/**
	 * Count the event and hand out what it emitted: most events emit nothing, so they
	 * share the empty list and the scratch list is reused.
	 */
	private Result count(Disposition disposition, List<WindowAggregate> out) {
		this.dispositions[disposition.ordinal()]++;
		if (out.isEmpty()) {
			return new Result(disposition, List.of());
		}
		List<WindowAggregate> emitted = new ArrayList<>(out);
		out.clear();
		tally(emitted);
		return new Result(disposition, emitted);
	}

	private void tally(List<WindowAggregate> out) {
		String lastKind = null;
		long[] counter = null;
		for (int i = 0; i < out.size(); i++) {
			String kind = out.get(i).window().kind();
			if (!kind.equals(lastKind)) {
				counter = this.emittedByKind.get(kind);
				if (counter == null) {
					counter = new long[1];
					this.emittedByKind.put(kind, counter);
				}
				lastKind = kind;
			}
			counter[0]++;
		}
	}

	/**
	 * The whole state of the engine, to be restored by {@link #restore} into an engine
	 * with the same configuration: every partition's state, the watermarks and the
	 * counters. An engine restored from a snapshot and fed the events that followed it
	 * produces exactly what the original would have.
	 * @return the snapshot
	 */
	public byte[] snapshot() {
		return write(SNAPSHOT_MAGIC, (out) -> {
			out.writeLong(this.lastEarlyEmission);
			for (Disposition disposition : Disposition.values()) {
				out.writeLong(this.dispositions[disposition.ordinal()]);
			}
			out.writeInt(this.emittedByKind.size());
			for (Map.Entry<String, long[]> entry : this.emittedByKind.entrySet()) {
				out.writeUTF(entry.getKey());
				out.writeLong(entry.getValue()[0]);
			}
			this.watermarks.writeTo(out);
			out.writeInt(this.partitions.size());
			for (Map.Entry<String, PartitionState> entry : this.partitions.entrySet()) {
				out.writeUTF(entry.getKey());
				entry.getValue().writeTo(out);
			}
		});
	}

	/**
	 * Replace this engine's state with a snapshot.
	 * @param snapshot bytes from {@link #snapshot()} of an engine with the same
	 * configuration
	 * @throws IllegalArgumentException if the snapshot is not one, or was taken with
	 * another configuration
	 */
	public void restore(byte[] snapshot) {
		read(snapshot, SNAPSHOT_MAGIC, (in) -> {
			this.lastEarlyEmission = in.readLong();
			for (Disposition disposition : Disposition.values()) {
				this.dispositions[disposition.ordinal()] = in.readLong();
			}
			this.emittedByKind.clear();
			int kinds = in.readInt();
			for (int i = 0; i < kinds; i++) {
				this.emittedByKind.put(in.readUTF(), new long[] { in.readLong() });
			}
			this.watermarks.readFrom(in);
			this.partitions.clear();
			int count = in.readInt();
			for (int i = 0; i < count; i++) {
				PartitionState state = newPartitionState();
				this.partitions.put(in.readUTF(), state);
				state.readFrom(in);
			}
			return null;
		});
	}

	/**
	 * The state of one input partition, to restore it later or hand it to another engine
	 * (a rebalance): its series' windows and buffers, its watermark and its dedupe
	 * memory. Later {@link #snapshotPartitionChanges deltas} of the partition follow this
	 * snapshot.
	 * @param partition the input partition
	 * @return the snapshot, for {@link #restorePartition}
	 */
	public byte[] snapshotPartition(String partition) {
		PartitionState state = partition(partition);
		byte[] snapshot = write(PARTITION_SNAPSHOT_MAGIC, (out) -> {
			out.writeUTF(partition);
			this.watermarks.writePartitionTo(partition, out);
			state.writeTo(out);
		});
		state.startOver(checksum(snapshot));
		return snapshot;
	}

	/**
	 * What changed in one input partition since its last snapshot, full or delta: for
	 * every series with a window opened, updated, emitted or closed, or readings buffered
	 * or dropped, its whole current state or that it is gone; the ids the dedupe memory
	 * took and the limit below which it forgot; the partition's watermark and the
	 * position its windows are closed to. Its size follows the changes, not the state, so
	 * a checkpoint of a large, mostly quiet partition stays cheap. Writing a full
	 * {@link #snapshotPartition snapshot} from time to time bounds how many deltas a
	 * restore reads.
	 * <p>
	 * A delta names the snapshot it follows (by checksum), so
	 * {@link #restorePartition(byte[], List)} refuses one that is missing, repeated or
	 * out of order. A delta that was taken but not stored breaks the chain: take a full
	 * snapshot next. The engine-wide {@link #snapshot()} and {@link #restore} do not
	 * count as partition snapshots.
	 * @param partition the input partition
	 * @return the delta, for {@link #restorePartition(byte[], List)}
	 * @throws IllegalStateException if no snapshot of the partition was taken or restored
	 * by this engine since it took the partition, so the delta would follow nothing
	 */
	public byte[] snapshotPartitionChanges(String partition) {
		PartitionState state = this.partitions.get(partition);
		if (state == null) {
			throw new IllegalStateException("Partition " + partition + " has no state here to write changes of");
		}
		int follows = state.lastSnapshot();
		byte[] changes = write(PARTITION_CHANGES_MAGIC, (out) -> {
			out.writeUTF(partition);
			out.writeInt(follows);
			this.watermarks.writePartitionTo(partition, out);
			state.writeChangesTo(out);
		});
		state.startOver(checksum(changes));
		return changes;
	}

	/**
	 * Take over an input partition from a snapshot written by {@link #snapshotPartition},
	 * replacing whatever this engine had for it.
	 * @param snapshot the partition snapshot
	 * @return the partition taken over
	 * @throws IllegalArgumentException if the snapshot is not one, or was taken with
	 * another configuration
	 */
	public String restorePartition(byte[] snapshot) {
		return restorePartition(snapshot, List.of());
	}

	/**
	 * Take over an input partition from a snapshot and the deltas that followed it,
	 * replacing whatever this engine had for it. The partition is then exactly as it was
	 * when the last delta was taken, and its next delta follows that one. Nothing changes
	 * in this engine if any of them is refused.
	 * @param base a snapshot written by {@link #snapshotPartition}
	 * @param changes every delta written by {@link #snapshotPartitionChanges} after it,
	 * in order
	 * @return the partition taken over
	 * @throws IllegalArgumentException if the base or a delta is not one, was taken with
	 * another configuration or of another partition, or does not follow the one before it
	 */
	public String restorePartition(byte[] base, List<byte[]> changes) {
		PartitionState state = newPartitionState();
		Head head = read(base, PARTITION_SNAPSHOT_MAGIC, (in) -> {
			String partition = in.readUTF();
			OptionalLong maxEventTime = PartitionWatermarks.readPartition(in);
			state.readSeriesFrom(in);
			return new Head(partition, maxEventTime);
		});
		int previous = checksum(base);
		for (byte[] delta : changes) {
			int follows = previous;
			Head current = head;
			head = read(delta, PARTITION_CHANGES_MAGIC, (in) -> {
				String partition = in.readUTF();
				if (!partition.equals(current.partition())) {
					throw new IllegalArgumentException(
							"Changes of partition " + partition + " do not apply to " + current.partition());
				}
				if (in.readInt() != follows) {
					throw new IllegalArgumentException("Changes of partition " + partition
							+ " do not follow the snapshot before them: one is missing, repeated or out of order");
				}
				OptionalLong maxEventTime = PartitionWatermarks.readPartition(in);
				state.readChangesFrom(in);
				return new Head(partition, maxEventTime);
			});
			previous = checksum(delta);
		}
		state.rebuildIndexes();
		state.startOver(previous);
		this.partitions.put(head.partition(), state);
		this.watermarks.takeOver(head.partition(), head.maxEventTime(), this.clock.millis());
		return head.partition();
	}

	/**
	 * Forget everything of an input partition (it was assigned to another instance).
	 * @param partition the input partition
	 */
	public void releasePartition(String partition) {
		this.partitions.remove(partition);
		this.watermarks.remove(partition);
	}

	private byte[] write(int magic, SnapshotWriter writer) {
		SnapshotBytes bytes = new SnapshotBytes();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(magic);
			out.writeUTF(configFingerprint());
			writer.write(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	private <T> T read(byte[] snapshot, int magic, SnapshotReader<T> reader) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
			if (in.readInt() != magic) {
				throw new IllegalArgumentException("Not a snapshot of this kind (or an unknown format version)");
			}
			String fingerprint = in.readUTF();
			if (!fingerprint.equals(configFingerprint())) {
				throw new IllegalArgumentException("The snapshot was taken with another configuration: " + fingerprint
						+ " vs " + configFingerprint());
			}
			T result = reader.read(in);
			if (in.available() > 0) {
				throw new IllegalArgumentException("The snapshot has " + in.available() + " bytes after its end");
			}
			return result;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("The snapshot is truncated or corrupt", ex);
		}
	}

	/**
	 * What identifies a partition snapshot or delta for the delta that follows it. CRC32C
	 * runs at several GB/s, a small share of writing the snapshot. It guards against
	 * mistakes (a lost, repeated or reordered delta), which a chance collision (one in
	 * 2^32) would let through; not against tampering.
	 */
	private static int checksum(byte[] snapshot) {
		CRC32C crc = new CRC32C();
		crc.update(snapshot, 0, snapshot.length);
		return (int) crc.getValue();
	}

	/**
	 * What must match between the engine that wrote a snapshot and the one that reads it.
	 */
	private String configFingerprint() {
		return this.config.windows() + " lateness=" + this.config.allowedLateness() + " disorder="
				+ this.config.maxOutOfOrderness() + " quantiles=" + this.config.quantileAccuracy();
	}

	/**
	 * The operator watermark: the minimum over active partitions.
	 * @return the watermark, {@link Instant#MIN} before the first event
	 */
	public Instant watermark() {
		long current = this.watermarks.current(this.clock.millis());
		return (current == PartitionWatermarks.NONE) ? Instant.MIN : Instant.ofEpochMilli(current);
	}

	/**
	 * The watermark a partition's windows are closed to.
	 * @param partition the input partition
	 * @return the watermark, {@link Instant#MIN} before the partition's first event
	 */
	public Instant watermark(String partition) {
		PartitionState state = this.partitions.get(partition);
		return (state == null || state.closedTo() == PartitionWatermarks.NONE) ? Instant.MIN
				: Instant.ofEpochMilli(state.closedTo());
	}

	/** Open windows (aligned kinds) plus buffered series (sliding and session). */
	public long openWindows() {
		return this.partitions.values().stream().mapToLong(PartitionState::openWindows).sum();
	}

	/** Approximate heap held by window state and the dedupe memory. */
	public long estimatedStateBytes() {
		return this.partitions.values().stream().mapToLong(PartitionState::estimatedBytes).sum();
	}

	/** Events so far by disposition. */
	public long count(Disposition disposition) {
		return this.dispositions[disposition.ordinal()];
	}

	/** Aggregates emitted so far, by window kind. */
	public Map<String, Long> emittedByKind() {
		Map<String, Long> copy = new TreeMap<>();
		this.emittedByKind.forEach((kind, counter) -> copy.put(kind, counter[0]));
		return Map.copyOf(copy);
	}

	/** What happened to an event. */
	public enum Disposition {

		/** Added to at least one window. */
		ACCEPTED,

		/** An event id seen within the dedupe horizon; not added. */
		DUPLICATE,

		/** Too late for every window it belongs to; not added. */
		LATE,

		/**
		 * Stamped further ahead than the clock-skew limit of the time ingest received it
		 * (or of processing time, for events without {@code ingestedAt}); not added.
		 */
		CLOCK_SKEW

	}

	/**
	 * The outcome of one event.
	 *
	 * @param disposition what happened to the event
	 * @param emitted results it completed or changed, in emission order
	 */
	public record Result(Disposition disposition, List<WindowAggregate> emitted) {
	}

	/** The partition a snapshot or delta is of, and the watermark it carries. */
	private record Head(String partition, OptionalLong maxEventTime) {
	}

	@FunctionalInterface
	private interface SnapshotWriter {

		void write(DataOutput out) throws IOException;

	}

	@FunctionalInterface
	private interface SnapshotReader<T> {

		T read(DataInput in) throws IOException;

	}

}
