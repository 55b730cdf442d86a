package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Event-time windowed aggregation of telemetry, in the semantics of Flink and Structured
 * Streaming: several window kinds at once per (sensor, metric), a watermark per input
 * partition (the operator follows the slowest active partition), allowed lateness with
 * revisions, optional early results, and dedupe by event id within a horizon.
 * <p>
 * Each event gets one {@link Disposition}; nothing is dropped without one: a duplicate,
 * an event too late for every window it belongs to, and an event stamped too far in the
 * future are reported, not aggregated.
 * <p>
 * Not thread-safe: callers serialize {@link #onEvent}, {@link #onTick} and
 * {@link #drain}.
 */
public final class StreamEngine {

	/** "MRS" and format version 2. */
	private static final int SNAPSHOT_MAGIC = 0x4D525302;

	/** "MRP" and format version 1. */
	private static final int PARTITION_SNAPSHOT_MAGIC = 0x4D525001;

	private final EngineConfig config;

	private final Clock clock;

	private final List<WindowStore> stores = new ArrayList<>();

	private final PartitionWatermarks watermarks;

	/**
	 * One per input partition: a sensor's events, duplicates included, stay in one
	 * partition.
	 */
	private final Map<String, Deduplicator> deduplicators = new TreeMap<>();

	/**
	 * The input partition of every series with state, so state can move with its
	 * partition.
	 */
	private final Map<SeriesKey, String> seriesPartitions = new HashMap<>();

	private final Map<Disposition, Long> dispositions = new EnumMap<>(Disposition.class);

	private final Map<String, Long> emittedByKind = new TreeMap<>();

	private long watermark = PartitionWatermarks.NONE;

	private long lastEarlyEmission;

	public StreamEngine(EngineConfig config, Clock clock) {
		this.config = config;
		this.clock = clock;
		Emission emission = new Emission(config.allowedLateness().toMillis(), config.quantileAccuracy(), clock);
		for (WindowSpec spec : config.windows()) {
			this.stores.add(storeFor(spec, emission));
			this.emittedByKind.put(spec.kind(), 0L);
		}
		this.watermarks = new PartitionWatermarks(config.maxOutOfOrderness().toMillis(),
				config.idleTimeout().toMillis());
		this.lastEarlyEmission = clock.millis();
		for (Disposition disposition : Disposition.values()) {
			this.dispositions.put(disposition, 0L);
		}
	}

	private static WindowStore storeFor(WindowSpec spec, Emission emission) {
		if (spec instanceof WindowSpec.Sliding sliding) {
			return new SlidingStore(sliding, emission);
		}
		if (spec instanceof WindowSpec.Session session) {
			return new SessionStore(session, emission);
		}
		return new AlignedWindowStore(spec, emission);
	}

	/**
	 * Process one valid event.
	 * @param partition the input partition it came from
	 * @param event the event
	 * @return what happened to it, and the results it completed or changed
	 */
	public Result onEvent(String partition, TelemetryEvent event) {
		long now = this.clock.millis();
		long eventTime = event.timestamp().toEpochMilli();
		if (eventTime > now + this.config.maxClockSkew().toMillis()) {
			return count(Disposition.CLOCK_SKEW, List.of());
		}
		Deduplicator deduplicator = deduplicator(partition);
		if (deduplicator.isDuplicate(event.eventId())) {
			return count(Disposition.DUPLICATE, List.of());
		}
		List<WindowAggregate> out = new ArrayList<>();
		long current = this.watermarks.current(now);
		boolean added = false;
		Map<String, Double> measurements = event.measurements();
		// The same readings as TelemetryEvent.metrics(), without building a map per
		// event.
		if (event.value() != null
				&& (measurements == null || measurements.get(TelemetryEvent.DEFAULT_METRIC) == null)) {
			added = addReading(partition, event.sensorId(), TelemetryEvent.DEFAULT_METRIC, eventTime, event.value(),
					current, out);
		}
		if (measurements != null) {
			for (Map.Entry<String, Double> reading : measurements.entrySet()) {
				if (reading.getValue() != null) {
					added |= addReading(partition, event.sensorId(), reading.getKey(), eventTime, reading.getValue(),
							current, out);
				}
			}
		}
		if (!added) {
			return count(Disposition.LATE, out);
		}
		deduplicator.remember(event.eventId(), eventTime);
		this.watermarks.observe(partition, eventTime, now);
		advanceTo(this.watermarks.current(now), out);
		return count(Disposition.ACCEPTED, out);
	}

	private boolean addReading(String partition, String sensorId, String metric, long eventTime, double value,
			long watermark, List<WindowAggregate> out) {
		SeriesKey series = new SeriesKey(sensorId, metric);
		this.seriesPartitions.putIfAbsent(series, partition);
		boolean added = false;
		for (WindowStore store : this.stores) {
			added |= store.add(series, eventTime, value, watermark, out);
		}
		return added;
	}

	/**
	 * Let processing time pass without events: idle partitions stop holding the watermark
	 * back, and early results are emitted when due.
	 * @return the results this produced
	 */
	public List<WindowAggregate> onTick() {
		long now = this.clock.millis();
		List<WindowAggregate> out = new ArrayList<>();
		advanceTo(this.watermarks.current(now), out);
		if (this.config.earlyEmissionInterval() != null
				&& now - this.lastEarlyEmission >= this.config.earlyEmissionInterval().toMillis()) {
			this.lastEarlyEmission = now;
			for (WindowStore store : this.stores) {
				store.emitEarly(this.watermark, out);
			}
		}
		tally(out);
		return out;
	}

	/**
	 * The input has ended: emit every open window as final.
	 * @return the final results
	 */
	public List<WindowAggregate> drain() {
		List<WindowAggregate> out = new ArrayList<>();
		advanceTo(Long.MAX_VALUE / 4, out);
		tally(out);
		return out;
	}

	private void advanceTo(long newWatermark, List<WindowAggregate> out) {
		if (newWatermark <= this.watermark) {
			return;
		}
		this.watermark = newWatermark;
		for (WindowStore store : this.stores) {
			store.advance(newWatermark, out);
		}
		for (Deduplicator deduplicator : this.deduplicators.values()) {
			deduplicator.forgetBefore(newWatermark);
		}
	}

	private Result count(Disposition disposition, List<WindowAggregate> out) {
		this.dispositions.merge(disposition, 1L, Long::sum);
		tally(out);
		return new Result(disposition, out);
	}

	private void tally(List<WindowAggregate> out) {
		for (WindowAggregate aggregate : out) {
			this.emittedByKind.merge(aggregate.window().kind(), 1L, Long::sum);
		}
	}

	/**
	 * The whole state of the engine, to be restored by {@link #restore} into an engine
	 * with the same configuration: open windows, buffered readings, partition watermarks,
	 * the dedupe memory and the counters. An engine restored from a snapshot and fed the
	 * events that followed it produces exactly what the original would have.
	 * @return the snapshot
	 */
	public byte[] snapshot() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(SNAPSHOT_MAGIC);
			out.writeUTF(configFingerprint());
			out.writeLong(this.watermark);
			out.writeLong(this.lastEarlyEmission);
			for (Disposition disposition : Disposition.values()) {
				out.writeLong(this.dispositions.get(disposition));
			}
			out.writeInt(this.emittedByKind.size());
			for (Map.Entry<String, Long> entry : this.emittedByKind.entrySet()) {
				out.writeUTF(entry.getKey());
				out.writeLong(entry.getValue());
			}
			this.watermarks.writeTo(out);
			out.writeInt(this.deduplicators.size());
			for (Map.Entry<String, Deduplicator> entry : this.deduplicators.entrySet()) {
				out.writeUTF(entry.getKey());
				entry.getValue().writeTo(out);
			}
			writeSeriesPartitions(out, (series) -> true);
			for (WindowStore store : this.stores) {
				store.writeTo(out, (series) -> true);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Replace this engine's state with a snapshot.
	 * @param snapshot bytes from {@link #snapshot()} of an engine with the same
	 * configuration
	 * @throws IllegalArgumentException if the snapshot is not one, or was taken with
	 * another configuration
	 */
	public void restore(byte[] snapshot) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
			if (in.readInt() != SNAPSHOT_MAGIC) {
				throw new IllegalArgumentException("Not an engine snapshot (or an unknown format version)");
			}
			String fingerprint = in.readUTF();
			if (!fingerprint.equals(configFingerprint())) {
				throw new IllegalArgumentException("The snapshot was taken with another configuration: " + fingerprint
						+ " vs " + configFingerprint());
			}
			this.watermark = in.readLong();
			this.lastEarlyEmission = in.readLong();
			for (Disposition disposition : Disposition.values()) {
				this.dispositions.put(disposition, in.readLong());
			}
			this.emittedByKind.clear();
			int kinds = in.readInt();
			for (int i = 0; i < kinds; i++) {
				this.emittedByKind.put(in.readUTF(), in.readLong());
			}
			this.watermarks.readFrom(in);
			this.deduplicators.clear();
			int partitions = in.readInt();
			for (int i = 0; i < partitions; i++) {
				deduplicator(in.readUTF()).readFrom(in);
			}
			this.seriesPartitions.clear();
			readSeriesPartitions(in);
			for (WindowStore store : this.stores) {
				store.drop((series) -> true);
				store.mergeFrom(in);
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("The snapshot is truncated or corrupt", ex);
		}
	}

	/**
	 * The state of one input partition, to hand it to another engine (a rebalance): its
	 * series' windows and buffers, its watermark and its dedupe memory.
	 * @param partition the input partition
	 * @return the snapshot, for {@link #restorePartition}
	 */
	public byte[] snapshotPartition(String partition) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(PARTITION_SNAPSHOT_MAGIC);
			out.writeUTF(configFingerprint());
			out.writeUTF(partition);
			this.watermarks.writePartitionTo(partition, out);
			deduplicator(partition).writeTo(out);
			Predicate<SeriesKey> inPartition = (series) -> partition.equals(this.seriesPartitions.get(series));
			writeSeriesPartitions(out, inPartition);
			for (WindowStore store : this.stores) {
				store.writeTo(out, inPartition);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Take over an input partition from a snapshot written by {@link #snapshotPartition}.
	 * @param snapshot the partition snapshot
	 * @return the partition taken over
	 * @throws IllegalArgumentException if the snapshot is not one, or was taken with
	 * another configuration
	 */
	public String restorePartition(byte[] snapshot) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
			if (in.readInt() != PARTITION_SNAPSHOT_MAGIC) {
				throw new IllegalArgumentException("Not a partition snapshot (or an unknown format version)");
			}
			String fingerprint = in.readUTF();
			if (!fingerprint.equals(configFingerprint())) {
				throw new IllegalArgumentException("The snapshot was taken with another configuration: " + fingerprint
						+ " vs " + configFingerprint());
			}
			String partition = in.readUTF();
			releasePartition(partition);
			this.watermarks.readPartitionFrom(partition, in);
			deduplicator(partition).readFrom(in);
			readSeriesPartitions(in);
			for (WindowStore store : this.stores) {
				store.mergeFrom(in);
			}
			return partition;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("The snapshot is truncated or corrupt", ex);
		}
	}

	/**
	 * Forget everything of an input partition (it was assigned to another instance).
	 * @param partition the input partition
	 */
	public void releasePartition(String partition) {
		Predicate<SeriesKey> inPartition = (series) -> partition.equals(this.seriesPartitions.get(series));
		for (WindowStore store : this.stores) {
			store.drop(inPartition);
		}
		this.seriesPartitions.values().removeIf(partition::equals);
		this.deduplicators.remove(partition);
		this.watermarks.remove(partition);
	}

	private Deduplicator deduplicator(String partition) {
		return this.deduplicators.computeIfAbsent(partition,
				(key) -> new Deduplicator(this.config.dedupeHorizon().toMillis()));
	}

	private void writeSeriesPartitions(DataOutput out, Predicate<SeriesKey> include) throws IOException {
		List<Map.Entry<SeriesKey, String>> selected = this.seriesPartitions.entrySet()
			.stream()
			.filter((entry) -> include.test(entry.getKey()))
			.toList();
		out.writeInt(selected.size());
		for (Map.Entry<SeriesKey, String> entry : selected) {
			entry.getKey().writeTo(out);
			out.writeUTF(entry.getValue());
		}
	}

	private void readSeriesPartitions(DataInput in) throws IOException {
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			this.seriesPartitions.put(SeriesKey.readFrom(in), in.readUTF());
		}
	}

	/**
	 * What must match between the engine that wrote a snapshot and the one that reads it.
	 */
	private String configFingerprint() {
		return this.config.windows() + " lateness=" + this.config.allowedLateness() + " disorder="
				+ this.config.maxOutOfOrderness() + " quantiles=" + this.config.quantileAccuracy();
	}

	/**
	 * The operator watermark.
	 * @return the watermark, {@link Instant#MIN} before the first event
	 */
	public Instant watermark() {
		return (this.watermark == PartitionWatermarks.NONE) ? Instant.MIN : Instant.ofEpochMilli(this.watermark);
	}

	/** Open windows (aligned kinds) plus buffered series (sliding and session). */
	public long openWindows() {
		return this.stores.stream().mapToLong(WindowStore::openWindows).sum();
	}

	/** Approximate heap held by window state and the dedupe set. */
	public long estimatedStateBytes() {
		long dedupe = this.deduplicators.values().stream().mapToLong(Deduplicator::size).sum();
		return this.stores.stream().mapToLong(WindowStore::estimatedBytes).sum() + 96L * dedupe;
	}

	/** Events so far by disposition. */
	public long count(Disposition disposition) {
		return this.dispositions.get(disposition);
	}

	/** Aggregates emitted so far, by window kind. */
	public Map<String, Long> emittedByKind() {
		return Map.copyOf(this.emittedByKind);
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
		 * Stamped further ahead of processing time than the clock-skew limit; not added.
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

}
