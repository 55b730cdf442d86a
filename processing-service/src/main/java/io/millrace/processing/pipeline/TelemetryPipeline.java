package io.millrace.processing.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.processing.checkpoint.CheckpointStore;
import io.millrace.processing.checkpoint.PartitionCheckpoint;
import io.millrace.processing.checkpoint.PendingRecord;
import io.millrace.processing.engine.StreamEngine;
import io.millrace.processing.progress.ProgressTracker;
import io.millrace.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;

/**
 * Feeds batches of records from {@code telemetry-raw} through the engine: results go to
 * {@code aggregates}, events too late for every window to {@code late}, and records that
 * cannot be read or are stamped too far in the future to {@code deadletter} with the
 * reason. Duplicates are counted. Nothing is dropped silently.
 * <p>
 * Exactly-once: what the engine produces is held back as pending records of its input
 * partition. Every checkpoint interval, each changed partition's engine state is written
 * to the checkpoint store together with its next offset and its pending records, and only
 * then are the records sent and the consumed offsets committed; a checkpoint is not
 * written over the previous one until the previous one's records are acknowledged by the
 * broker. So the committed offset never runs ahead of a checkpoint, and a partition
 * restored from its checkpoint first sends its pending records again (the same bytes),
 * then skips records below its next offset and computes the rest exactly as before: its
 * results depend on its own records only (see {@link StreamEngine}).
 */
public final class TelemetryPipeline implements Consumer<Message<?>> {

	private static final Logger logger = LoggerFactory.getLogger(TelemetryPipeline.class);

	private final TelemetryDecoder decoder = new TelemetryDecoder();

	private final StreamEngine engine;

	private final CheckpointStore checkpoints;

	private final OutputSender sender;

	private final ProcessingMetrics metrics;

	private final ProgressTracker progress;

	private final Clock clock;

	private final Duration checkpointInterval;

	private final Duration deliveryTimeout;

	private final Map<String, OwnedPartition> owned = new TreeMap<>();

	/** Commits of batches whose records are in the engine but not yet in a checkpoint. */
	private final List<Runnable> commits = new ArrayList<>();

	private long lastCheckpoint;

	/** How long the last checkpoint took to snapshot and write, in milliseconds. */
	private long lastCheckpointMillis;

	TelemetryPipeline(ProcessingProperties properties, CheckpointStore checkpoints, OutputSender sender,
			MeterRegistry registry, ProgressTracker progress, Clock clock) {
		this.engine = new StreamEngine(properties.engineConfig(), clock);
		this.checkpoints = checkpoints;
		this.sender = sender;
		this.metrics = new ProcessingMetrics(registry, this);
		this.progress = progress;
		this.clock = clock;
		this.checkpointInterval = properties.checkpoint().interval();
		this.deliveryTimeout = properties.checkpoint().deliveryTimeout();
		this.lastCheckpoint = clock.millis();
	}

	/**
	 * One batch of records. Typed {@code Message<?>} on purpose: for a typed batch the
	 * function layer converts every record on its own (a message per record), which cost
	 * more than all of the processing; the bytes need no conversion.
	 */
	@Override
	public synchronized void accept(Message<?> message) {
		ConsumedBatch batch = ConsumedBatch.of(message);
		this.metrics.consumed(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			process(batch.partitions().get(i), batch.offsets().get(i), batch.payloads().get(i));
		}
		this.commits.add(batch.commit());
		checkpointIfDue();
	}

	private void process(String partition, long offset, byte[] payload) {
		OwnedPartition owner = owned(partition);
		if (offset >= 0 && offset < owner.nextOffset) {
			// Redelivered after a restart or a failed batch: already in the state.
			this.metrics.replaySkipped();
			return;
		}
		long started = System.nanoTime();
		TelemetryDecoder.Decoded decoded = this.decoder.decode(payload);
		if (!decoded.isValid()) {
			deadLetter(owner, payload, decoded.reason(), decoded.detail(), partition, offset);
		}
		else {
			StreamEngine.Result result = this.engine.onEvent(partition, decoded.event());
			switch (result.disposition()) {
				case ACCEPTED -> this.metrics.processed();
				case DUPLICATE -> this.metrics.duplicate();
				case LATE -> {
					owner.pending.add(TelemetryOutputs.late(payload, decoded.event().sensorId(),
							this.engine.watermark(partition).toString()));
					this.metrics.late();
				}
				case CLOCK_SKEW -> deadLetter(owner, payload, "clock-skew",
						"event time " + decoded.event().timestamp() + " is too far ahead of when it was received",
						partition, offset);
			}
			pend(owner, result.emitted());
		}
		if (offset >= 0) {
			owner.nextOffset = offset + 1;
		}
		owner.changed = true;
		this.progress.recorded(partition, decoded.isValid() ? decoded.event().timestamp() : null,
				System.nanoTime() - started);
	}

	private void pend(OwnedPartition owner, List<WindowAggregate> aggregates) {
		for (WindowAggregate aggregate : aggregates) {
			owner.pending.add(TelemetryOutputs.aggregate(aggregate));
			this.metrics.emitted(aggregate);
		}
	}

	private void deadLetter(OwnedPartition owner, byte[] payload, String reason, String detail, String partition,
			long offset) {
		logger.warn("Dead-lettering record from partition {} offset {}: {} ({})", partition, offset, reason, detail);
		owner.pending.add(TelemetryOutputs.deadLetter(payload, reason, detail, partition, offset));
		this.metrics.deadLettered(reason).increment();
	}

	/** Let processing time pass: idle partitions, early results and due checkpoints. */
	public synchronized void tick() {
		this.engine.onTick().forEach((partition, aggregates) -> {
			OwnedPartition owner = this.owned.get(partition);
			if (owner != null) {
				pend(owner, aggregates);
			}
		});
		this.progress.closeBatchIfDue(this.engine.watermark(), this.engine.openWindows());
		checkpointIfDue();
	}

	/**
	 * Partitions were assigned to this instance: restore their state.
	 * @param partitions the partitions
	 * @return the offset to resume each restored partition from
	 */
	synchronized Map<String, Long> assigned(List<String> partitions) {
		Map<String, Long> positions = new LinkedHashMap<>();
		for (String partition : partitions) {
			OwnedPartition owner = owned(partition);
			if (owner.nextOffset > 0) {
				positions.put(partition, owner.nextOffset);
			}
		}
		logger.info("Assigned partitions {}; resuming at {}", partitions, positions);
		return positions;
	}

	/**
	 * Partitions are leaving this instance: checkpoint them, then forget them.
	 * @param partitions the partitions
	 */
	synchronized void revoked(List<String> partitions) {
		boolean complete = checkpoint()
				&& this.sender.awaitDelivered(this.deliveryTimeout) == OutputSender.Delivery.DELIVERED;
		if (!complete) {
			// The next owner resumes from the last complete checkpoint; nothing newer may
			// be
			// committed.
			this.commits.clear();
			logger.warn(
					"Partitions {} revoked without a complete checkpoint; their next owner replays from the last one",
					partitions);
		}
		for (String partition : partitions) {
			this.engine.releasePartition(partition);
			this.owned.remove(partition);
		}
		logger.info("Revoked partitions {}", partitions);
	}

	private OwnedPartition owned(String partition) {
		OwnedPartition owner = this.owned.get(partition);
		if (owner == null) {
			owner = restore(partition);
			this.owned.put(partition, owner);
		}
		return owner;
	}

	private OwnedPartition restore(String partition) {
		this.engine.releasePartition(partition);
		OwnedPartition owner = new OwnedPartition();
		Optional<CheckpointStore.Versioned> loaded = this.checkpoints.load(partition);
		if (loaded.isPresent()) {
			PartitionCheckpoint checkpoint = loaded.get().checkpoint();
			this.engine.restorePartition(checkpoint.engineState());
			owner.nextOffset = checkpoint.nextOffset();
			owner.version = loaded.get().version();
			// Possibly sent before; identical bytes, so upserting consumers do not mind.
			this.sender.send(checkpoint.pending());
			this.metrics.restored();
			logger.info("Restored partition {} from its checkpoint: next offset {}, {} records to send again",
					partition, checkpoint.nextOffset(), checkpoint.pending().size());
		}
		return owner;
	}

	/**
	 * Due every interval, but never sooner than ten times what the last one took: a large
	 * state then costs at most about a tenth of the time, at the price of publishing
	 * results less often.
	 */
	private void checkpointIfDue() {
		long interval = Math.max(this.checkpointInterval.toMillis(), 10 * this.lastCheckpointMillis);
		if (this.clock.millis() - this.lastCheckpoint >= interval) {
			checkpoint();
		}
	}

	/**
	 * Write a checkpoint of every changed partition, send their pending records and
	 * commit what the checkpoint covers.
	 * @return whether the checkpoint was written for every owned partition
	 */
	synchronized boolean checkpoint() {
		this.lastCheckpoint = this.clock.millis();
		OutputSender.Delivery previous = this.sender.awaitDelivered(this.deliveryTimeout);
		if (previous != OutputSender.Delivery.DELIVERED) {
			// The last checkpoint's records are not all acknowledged yet: writing over it
			// now could lose them.
			this.metrics.checkpointSkipped("delivery-" + previous.name().toLowerCase()).increment();
			logger.warn("Checkpoint postponed: the previous checkpoint's records are {}",
					previous.name().toLowerCase());
			return false;
		}
		long started = System.nanoTime();
		List<PendingRecord> toSend = new ArrayList<>();
		boolean complete = true;
		for (Map.Entry<String, OwnedPartition> entry : new ArrayList<>(this.owned.entrySet())) {
			String partition = entry.getKey();
			OwnedPartition owner = entry.getValue();
			if (!owner.changed && owner.pending.isEmpty()) {
				continue;
			}
			PartitionCheckpoint checkpoint = new PartitionCheckpoint(partition, owner.nextOffset,
					this.engine.snapshotPartition(partition), owner.pending);
			try {
				byte[] bytes = checkpoint.toBytes();
				owner.version = this.checkpoints.save(checkpoint, owner.version);
				this.metrics.checkpointWritten(bytes.length);
			}
			catch (CheckpointStore.FencedException ex) {
				logger.warn("Partition {} was taken over by another instance; dropping it here", partition);
				this.metrics.checkpointSkipped("fenced").increment();
				this.engine.releasePartition(partition);
				this.owned.remove(partition);
				complete = false;
				continue;
			}
			catch (StorageException ex) {
				logger.error("Could not write the checkpoint of partition {}; retrying at the next interval", partition,
						ex);
				this.metrics.checkpointSkipped("storage").increment();
				complete = false;
				continue;
			}
			toSend.addAll(owner.pending);
			owner.pending = new ArrayList<>();
			owner.changed = false;
		}
		long took = System.nanoTime() - started;
		this.lastCheckpointMillis = took / 1_000_000;
		this.metrics.checkpointDuration(took);
		this.sender.send(toSend);
		if (complete) {
			this.commits.forEach(Runnable::run);
		}
		logger.debug("Checkpoint {}: {} partitions written in {} ms, {} records sent, {} batches committed",
				complete ? "complete" : "incomplete", this.owned.size(), this.lastCheckpointMillis, toSend.size(),
				complete ? this.commits.size() : 0);
		if (complete) {
			this.commits.clear();
		}
		return complete;
	}

	synchronized Instant watermark() {
		return this.engine.watermark();
	}

	synchronized long openWindows() {
		return this.engine.openWindows();
	}

	synchronized long stateBytes() {
		return this.engine.estimatedStateBytes();
	}

	synchronized long pendingRecords() {
		return this.owned.values().stream().mapToLong((owner) -> owner.pending.size()).sum()
				+ this.sender.unconfirmed();
	}

	/** What this instance keeps for an input partition it owns, besides engine state. */
	private static final class OwnedPartition {

		/** The offset of the first record not in the engine's state; -1 when unknown. */
		private long nextOffset = -1;

		/** The version of its checkpoint this instance last read or wrote. */
		private String version;

		/** Records produced since the last checkpoint. */
		private List<PendingRecord> pending = new ArrayList<>();

		/** Whether the state changed since the last checkpoint. */
		private boolean changed;

	}

}
