package io.millrace.runtime.task;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.checkpoint.PartitionCheckpoint;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoder;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.operator.Outputs;
import io.millrace.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operator over one input exactly once: records are decoded (bad ones
 * dead-lettered with the reason), fed to the operator by input partition, and what the
 * operator produces is held as pending records of that partition. Every checkpoint
 * interval, each changed partition's operator state is written through the checkpoint
 * store together with its next offset and its pending records, and only then are the
 * records sent and the consumed offsets committed; a checkpoint is not written over the
 * previous one until the previous one's records are acknowledged. So the committed offset
 * never runs ahead of a checkpoint, and a partition restored from its checkpoint first
 * sends its pending records again (the same bytes), then skips records below its next
 * offset and continues exactly as before — provided the operator's results for a
 * partition depend on that partition's records only.
 * <p>
 * All calls are serialized on this task's lock; what metrics read is published as a
 * {@link TaskStatus} and by the operator's {@link Operator#publishStatus()}, never read
 * under the lock.
 *
 * @param <T> the contract of the input records
 */
public final class StreamTask<T> implements InputTask {

	private static final Logger logger = LoggerFactory.getLogger(StreamTask.class);

	private final Settings settings;

	private final Decoder<T> decoder;

	private final Operator<T> operator;

	private final CheckpointStore checkpoints;

	private final OutputSink sink;

	private final TaskListener listener;

	private final Clock clock;

	private final Map<String, OwnedPartition> owned = new TreeMap<>();

	/** Commits of batches whose records are in the state but not yet in a checkpoint. */
	private final List<Runnable> commits = new ArrayList<>();

	private long lastCheckpoint;

	private long lastCompleteCheckpoint;

	/** How long the last checkpoint took to snapshot and write, in milliseconds. */
	private long lastCheckpointMillis;

	private volatile TaskStatus status = TaskStatus.INITIAL;

	private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

	/** Why the current batch failed, while it is being retried. */
	private String failure;

	private long failingSince;

	/** Makes this instance's segment names its own. */
	private final String writerId = UUID.randomUUID().toString().substring(0, 8);

	/**
	 * Segments this instance wrote, over all partitions: a partition that leaves and
	 * comes back must not reuse a name.
	 */
	private long segmentsWritten;

	public StreamTask(Settings settings, Decoder<T> decoder, Operator<T> operator, CheckpointStore checkpoints,
			OutputSink sink, TaskListener listener, Clock clock) {
		this.settings = settings;
		this.decoder = decoder;
		this.operator = operator;
		this.checkpoints = checkpoints;
		this.sink = sink;
		this.listener = listener;
		this.clock = clock;
		this.lastCheckpoint = clock.millis();
		logger.info("Task for {}: {}", settings.source(), checkpoints);
	}

	/**
	 * One batch, retried until it is in. A transport that gave up on a failed batch and
	 * went on with the next would leave a gap that no later offset reveals, so a failure
	 * (a checkpoint that cannot be read while storage is down, say) holds the input
	 * instead: the task reports itself failing, waits, and tries the same batch again.
	 * Records a failed attempt already took are skipped as replays, so a batch may fail
	 * anywhere and be retried whole.
	 * @param batch the records and how to commit them
	 * @param pause waits between attempts: 1 s, 2 s, 4 s … up to 30 s
	 * @throws IllegalStateException if interrupted while waiting (the consumer is
	 * stopping; the batch's records are not committed, so they are read again)
	 */
	@Override
	public void acceptUntilDone(InputBatch batch, Pause pause) {
		for (int attempt = 1;; attempt++) {
			try {
				accept(batch);
				recovered(attempt);
				return;
			}
			catch (RuntimeException ex) {
				failed(ex, attempt);
			}
			try {
				pause.pause(retryPause(attempt));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Stopped while retrying a batch of " + this.settings.source(), ex);
			}
		}
	}

	static Duration retryPause(int attempt) {
		Duration doubled = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
		return (doubled.compareTo(MAX_RETRY_PAUSE) < 0) ? doubled : MAX_RETRY_PAUSE;
	}

	private synchronized void failed(RuntimeException ex, int attempt) {
		if (this.failure == null) {
			this.failingSince = this.clock.millis();
		}
		this.failure = ex.toString();
		this.listener.batchFailed();
		logger.error("A batch of {} failed (attempt {}); the input waits and the same batch is tried again in {} s",
				this.settings.source(), attempt, retryPause(attempt).toSeconds(), ex);
		publish();
	}

	private synchronized void recovered(int attempts) {
		if (this.failure != null) {
			logger.info("A batch of {} went in after {} attempts; the input runs again", this.settings.source(),
					attempts);
			this.failure = null;
			this.failingSince = 0;
			publish();
		}
	}

	/**
	 * One batch of records from the input; a failure is thrown to the caller, which must
	 * not go on with the next batch ({@link #acceptUntilDone} does not).
	 * @param batch the records and how to commit them
	 */
	public synchronized void accept(InputBatch batch) {
		this.listener.consumed(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			process(batch.partitions().get(i), batch.offsets().get(i), batch.payloads().get(i));
		}
		this.commits.add(batch.commit());
		checkpointIfDue();
		publish();
	}

	private void process(String partition, long offset, byte[] payload) {
		OwnedPartition owner = owned(partition);
		if (offset >= 0 && offset < owner.nextOffset) {
			// Redelivered after a restart or a failed batch: already in the state.
			this.listener.replaySkipped();
			return;
		}
		Decoded<T> decoded = this.decoder.decode(payload);
		RecordOutputs out = new RecordOutputs(owner, partition, offset, payload);
		if (decoded.isValid()) {
			try {
				this.operator.process(new InputRecord<>(partition, offset, payload, decoded.value()), out);
			}
			catch (RuntimeException ex) {
				// The same record fails again on every replay: holding the input would
				// stop the partition for good, so it goes where a person can look at it.
				logger.error("The operator failed on record {} of partition {} of {}; dead-lettered", offset, partition,
						this.settings.source(), ex);
				out.deadLetter(DeadLetters.OPERATOR_FAILED, ex.toString());
			}
		}
		else if (this.settings.deadLetterRejected()) {
			out.deadLetter(decoded.reason(), decoded.detail());
		}
		else {
			this.listener.rejectedSkipped(decoded.reason());
		}
		if (offset >= 0) {
			owner.nextOffset = offset + 1;
		}
		owner.changed = true;
	}

	/** Let processing time pass: the operator's timer and due checkpoints. */
	@Override
	public synchronized void tick() {
		this.operator.onTimer(this.clock.millis(), (partition) -> {
			OwnedPartition owner = this.owned.get(partition);
			return (owner != null) ? new RecordOutputs(owner, partition, -1, null) : DROPPING;
		});
		checkpointIfDue();
		publish();
	}

	/**
	 * Partitions were assigned to this instance: restore their state.
	 * @param partitions the partitions
	 * @return the offset to resume each restored partition from
	 */
	@Override
	public synchronized Map<String, Long> assigned(List<String> partitions) {
		Map<String, Long> positions = new LinkedHashMap<>();
		for (String partition : partitions) {
			OwnedPartition owner;
			try {
				owner = owned(partition);
			}
			catch (RuntimeException ex) {
				// Its first records restore it, retried until storage answers; they come
				// from the committed offset, never past the checkpoint, and what the
				// checkpoint holds is skipped as replay.
				logger.warn("Could not restore partition {} of {} on assignment; retried with its first records",
						partition, this.settings.source(), ex);
				continue;
			}
			if (owner.nextOffset > 0) {
				positions.put(partition, owner.nextOffset);
			}
		}
		logger.info("Assigned partitions {} of {}; resuming at {}", partitions, this.settings.source(), positions);
		publish();
		return positions;
	}

	/**
	 * Partitions are leaving this instance: checkpoint them, then forget them.
	 * @param partitions the partitions
	 */
	@Override
	public synchronized void revoked(List<String> partitions) {
		boolean complete = checkpoint()
				&& this.sink.awaitDelivered(this.settings.deliveryTimeout()) == OutputSink.Delivery.DELIVERED;
		if (!complete) {
			// The next owner resumes from the last complete checkpoint; nothing newer may
			// be committed.
			this.commits.clear();
			logger.warn(
					"Partitions {} revoked without a complete checkpoint; their next owner replays from the last one",
					partitions);
		}
		for (String partition : partitions) {
			this.operator.release(partition);
			this.owned.remove(partition);
		}
		logger.info("Revoked partitions {} of {}", partitions, this.settings.source());
		publish();
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
		this.operator.release(partition);
		OwnedPartition owner = new OwnedPartition();
		Optional<CheckpointStore.Versioned> loaded = this.checkpoints.load(partition);
		if (loaded.isPresent()) {
			PartitionCheckpoint checkpoint = loaded.get().checkpoint();
			if (checkpoint.segments().isEmpty()) {
				this.operator.restore(partition, checkpoint.state());
			}
			else {
				List<byte[]> segments = this.checkpoints.segments(checkpoint);
				this.operator.restore(partition, segments.get(0), segments.subList(1, segments.size()));
				owner.chain.restored(checkpoint.segments(), segments);
			}
			owner.nextOffset = checkpoint.nextOffset();
			owner.version = loaded.get().version();
			// Possibly sent before; identical bytes, so upserting consumers do not mind.
			this.sink.send(checkpoint.pending());
			this.listener.restored();
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
		long interval = Math.max(this.settings.checkpointInterval().toMillis(), 10 * this.lastCheckpointMillis);
		if (this.clock.millis() - this.lastCheckpoint >= interval) {
			checkpoint();
		}
	}

	/**
	 * Write a checkpoint of every changed partition, send their pending records and
	 * commit what the checkpoint covers.
	 * @return whether the checkpoint was written for every owned partition
	 */
	public synchronized boolean checkpoint() {
		this.lastCheckpoint = this.clock.millis();
		OutputSink.Delivery previous = this.sink.awaitDelivered(this.settings.deliveryTimeout());
		if (previous != OutputSink.Delivery.DELIVERED) {
			// The last checkpoint's records are not all acknowledged yet: writing over it
			// now could lose them.
			this.listener.checkpointSkipped("delivery-" + previous.name().toLowerCase());
			logger.warn("Checkpoint postponed: the previous checkpoint's records are {}",
					previous.name().toLowerCase());
			return false;
		}
		long started = System.nanoTime();
		List<OutputRecord> toSend = new ArrayList<>();
		boolean complete = true;
		for (Map.Entry<String, OwnedPartition> entry : new ArrayList<>(this.owned.entrySet())) {
			String partition = entry.getKey();
			OwnedPartition owner = entry.getValue();
			if (!owner.changed && owner.pending.isEmpty()) {
				continue;
			}
			SegmentChain.Next next = null;
			try {
				next = writeState(partition, owner.chain);
				PartitionCheckpoint checkpoint = new PartitionCheckpoint(partition, owner.nextOffset, NO_STATE,
						next.segments(), owner.pending);
				byte[] bytes = checkpoint.toBytes();
				owner.version = this.checkpoints.save(checkpoint, bytes, owner.version);
				this.listener.checkpointWritten(bytes.length + next.writtenBytes());
				this.checkpoints.deleteSegments(owner.chain.advance(next));
				if (!owner.swept) {
					owner.swept = true;
					int swept = this.checkpoints.sweepSegments(partition, next.segments());
					if (swept > 0) {
						logger.info("Deleted {} segments of partition {} that no checkpoint names", swept, partition);
					}
				}
			}
			catch (CheckpointStore.FencedException ex) {
				logger.warn("Partition {} was taken over by another instance; dropping it here", partition);
				this.listener.checkpointSkipped("fenced");
				this.checkpoints.deleteSegments(List.of(next.writtenKey()));
				this.operator.release(partition);
				this.owned.remove(partition);
				complete = false;
				continue;
			}
			catch (RuntimeException ex) {
				// A storage failure, or an operator that cannot snapshot: nothing newer
				// is
				// committed until a checkpoint of the partition is written.
				logger.error("Could not write the checkpoint of partition {}; retrying at the next interval", partition,
						ex);
				this.listener.checkpointSkipped((ex instanceof StorageException) ? "storage" : "error");
				// The changes taken for it are gone from the operator: start over from a
				// full snapshot.
				owner.chain.forceFull();
				if (next != null) {
					this.checkpoints.deleteSegments(List.of(next.writtenKey()));
				}
				complete = false;
				continue;
			}
			toSend.addAll(owner.pending);
			owner.pending = new ArrayList<>();
			owner.changed = false;
		}
		long took = System.nanoTime() - started;
		this.lastCheckpointMillis = took / 1_000_000;
		this.listener.checkpointDuration(took);
		this.sink.send(toSend);
		if (complete) {
			this.commits.forEach(Runnable::run);
			this.lastCompleteCheckpoint = this.clock.millis();
		}
		logger.debug("Checkpoint {}: {} partitions written in {} ms, {} records sent, {} batches committed",
				complete ? "complete" : "incomplete", this.owned.size(), this.lastCheckpointMillis, toSend.size(),
				complete ? this.commits.size() : 0);
		if (complete) {
			this.commits.clear();
		}
		publish();
		return complete;
	}

	/**
	 * Write the partition's state as the next segment: the changes since the last
	 * checkpoint while the chain is short, else a full snapshot that starts a new chain.
	 */
	private SegmentChain.Next writeState(String partition, SegmentChain chain) {
		byte[] changes = chain.wantsChanges() ? this.operator.snapshotChanges(partition) : null;
		if (changes != null) {
			String key = this.checkpoints.writeSegment(partition, segmentName("changes"), changes);
			return chain.withChanges(key, changes.length);
		}
		byte[] full = this.operator.snapshot(partition);
		String key = this.checkpoints.writeSegment(partition, segmentName("full"), full);
		return chain.withFull(key, full.length);
	}

	/** A segment name no other writer, and no earlier segment of this one, uses. */
	private String segmentName(String kind) {
		return this.writerId + "-" + (++this.segmentsWritten) + "-" + kind;
	}

	private void publish() {
		Map<String, Long> offsets = new TreeMap<>();
		long held = this.sink.unconfirmed();
		for (Map.Entry<String, OwnedPartition> entry : this.owned.entrySet()) {
			offsets.put(entry.getKey(), entry.getValue().nextOffset);
			held += entry.getValue().pending.size();
		}
		this.status = new TaskStatus(Map.copyOf(offsets), held, this.lastCompleteCheckpoint, this.lastCheckpointMillis,
				this.failure, this.failingSince);
		this.operator.publishStatus();
	}

	/**
	 * What the task last published; never waits for processing.
	 * @return the status
	 */
	@Override
	public TaskStatus status() {
		return this.status;
	}

	private static final Outputs DROPPING = new Outputs() {

		@Override
		public void emit(OutputRecord record) {
		}

		@Override
		public void deadLetter(String reason, String detail) {
		}

	};

	/** Outputs of the record being processed, held with its partition. */
	private final class RecordOutputs implements Outputs {

		private final OwnedPartition owner;

		private final String partition;

		private final long offset;

		private final byte[] payload;

		RecordOutputs(OwnedPartition owner, String partition, long offset, byte[] payload) {
			this.owner = owner;
			this.partition = partition;
			this.offset = offset;
			this.payload = payload;
		}

		@Override
		public void emit(OutputRecord record) {
			this.owner.pending.add(record);
			this.owner.changed = true;
		}

		@Override
		public void stateChanged() {
			this.owner.changed = true;
		}

		@Override
		public void deadLetter(String reason, String detail) {
			if (this.payload == null) {
				throw new IllegalStateException("Only the record being processed can be dead-lettered");
			}
			logger.warn("Dead-lettering record from {} partition {} offset {}: {} ({})", settings.source(),
					this.partition, this.offset, reason, detail);
			emit(DeadLetters.of(this.payload, reason, detail, settings.source(), this.partition, this.offset));
			listener.deadLettered(reason);
		}

	}

	/** Waits between attempts at a failed batch. */
	@FunctionalInterface
	public interface Pause {

		void pause(Duration duration) throws InterruptedException;

	}

	/**
	 * How a task runs.
	 *
	 * @param source the input's name (a topic), for logs and dead-letter headers
	 * @param checkpointInterval how often changed partitions are checkpointed
	 * @param deliveryTimeout how long a checkpoint waits for the previous one's records
	 * @param maxChanges how many incremental checkpoints may follow a full one (0: every
	 * checkpoint is full)
	 * @param deadLetterRejected whether records the decoder rejects are dead-lettered
	 * (the owner of an input), or only counted and skipped (a second reader of an input
	 * whose owner dead-letters them already: one dead letter per bad record, not one per
	 * reader)
	 */
	public record Settings(String source, Duration checkpointInterval, Duration deliveryTimeout, int maxChanges,
			boolean deadLetterRejected) {

		/**
		 * Twenty sets of changes between full snapshots; rejected records dead-lettered.
		 */
		public Settings(String source, Duration checkpointInterval, Duration deliveryTimeout) {
			this(source, checkpointInterval, deliveryTimeout, 20, true);
		}

		/**
		 * These settings, for a second reader of an input: rejected records are skipped.
		 * @return the settings
		 */
		public Settings skippingRejected() {
			return new Settings(this.source, this.checkpointInterval, this.deliveryTimeout, this.maxChanges, false);
		}

	}

	private static final byte[] NO_STATE = new byte[0];

	/**
	 * What this instance keeps for an input partition it owns, besides operator state.
	 */
	private final class OwnedPartition {

		/** Where its state is in the store. */
		private final SegmentChain chain = new SegmentChain(StreamTask.this.settings.maxChanges());

		/** The offset of the first record not in the state; -1 when unknown. */
		private long nextOffset = -1;

		/** The version of its checkpoint this instance last read or wrote. */
		private String version;

		/** Records produced since the last checkpoint. */
		private List<OutputRecord> pending = new ArrayList<>();

		/** Whether the state changed since the last checkpoint. */
		private boolean changed;

		/** Whether segments no checkpoint names were cleared since it came here. */
		private boolean swept;

	}

}
