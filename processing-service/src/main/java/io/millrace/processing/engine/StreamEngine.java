package io.millrace.processing.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

	/** "MRS" and format version 1. */
	private static final int SNAPSHOT_MAGIC = 0x4D525301;

	private final EngineConfig config;

	private final Clock clock;

	private final List<WindowStore> stores = new ArrayList<>();

	private final PartitionWatermarks watermarks;

	private final Deduplicator deduplicator;

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
		this.deduplicator = new Deduplicator(config.dedupeHorizon().toMillis());
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
		if (this.deduplicator.isDuplicate(event.eventId())) {
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
			added = addReading(event.sensorId(), TelemetryEvent.DEFAULT_METRIC, eventTime, event.value(), current, out);
		}
		if (measurements != null) {
			for (Map.Entry<String, Double> reading : measurements.entrySet()) {
				if (reading.getValue() != null) {
					added |= addReading(event.sensorId(), reading.getKey(), eventTime, reading.getValue(), current,
							out);
				}
			}
		}
		if (!added) {
			return count(Disposition.LATE, out);
		}
		this.deduplicator.remember(event.eventId(), eventTime);
		this.watermarks.observe(partition, eventTime, now);
		advanceTo(this.watermarks.current(now), out);
		return count(Disposition.ACCEPTED, out);
	}

	private boolean addReading(String sensorId, String metric, long eventTime, double value, long watermark,
			List<WindowAggregate> out) {
		SeriesKey series = new SeriesKey(sensorId, metric);
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
		this.deduplicator.forgetBefore(newWatermark);
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
			this.deduplicator.writeTo(out);
			for (WindowStore store : this.stores) {
				store.writeTo(out);
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
			this.deduplicator.readFrom(in);
			for (WindowStore store : this.stores) {
				store.readFrom(in);
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("The snapshot is truncated or corrupt", ex);
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
		return this.stores.stream().mapToLong(WindowStore::estimatedBytes).sum() + 96L * this.deduplicator.size();
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
