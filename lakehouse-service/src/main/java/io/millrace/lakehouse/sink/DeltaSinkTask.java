package io.millrace.lakehouse.sink;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.millrace.lakehouse.delta.CommitResult;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.FencedException;
import io.millrace.lakehouse.delta.PartitionAppender;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.InputBatch;
import io.millrace.runtime.task.InputTask;
import io.millrace.runtime.task.OutputSink;
import io.millrace.runtime.task.StreamTask;
import io.millrace.runtime.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one input into one Delta table exactly once. The runtime's {@link StreamTask}
 * keeps an operator's state and next offset in a checkpoint of its own; a table needs
 * neither: its rows are its state, and the Delta log records, with each commit, the
 * source partition and the last offset the commit covers (a transaction id,
 * {@link DeltaTableWriter}). That commit is this task's checkpoint. So the task is the
 * runtime's other kind of {@link InputTask}, driven by the same transport:
 * <ul>
 * <li>records are decoded with the runtime's contract decoders; bad ones become the
 * runtime's dead letters (reason, detail, source partition and offset);</li>
 * <li>rows are buffered per source partition and committed every commit interval, or
 * sooner when a partition holds {@code commitRows} rows, one commit per partition (Kernel
 * takes one transaction id per commit);</li>
 * <li>dead letters are sent, and acknowledged by the broker, before the commit that
 * covers their offsets (a crash in between sends them again, the same bytes);</li>
 * <li>the consumer's offsets are committed only after every partition's rows are in the
 * table, so the broker's position never runs ahead of the table;</li>
 * <li>on assignment the committed offset of each partition is read from the Delta log and
 * the consumer resumes right after it; records at or below it that arrive anyway are
 * skipped and counted.</li>
 * </ul>
 * All calls are serialized on this task's lock; metrics read what is published.
 *
 * @param <T> the contract of the input records
 */
public final class DeltaSinkTask<T> implements InputTask {

	private static final Logger logger = LoggerFactory.getLogger(DeltaSinkTask.class);

	private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(30);

	/** Commit attempts of one partition while other writers keep moving it. */
	private static final int MAX_RESYNCS = 5;

	private final Settings settings;

	private final Decoder<T> decoder;

	private final RowMapper<T> mapper;

	private final PartitionAppender writer;

	private final OutputSink sink;

	private final SinkListener listener;

	private final Clock clock;

	private final Map<String, Partition> owned = new TreeMap<>();

	/** Acknowledgements of batches whose records are not all in the table yet. */
	private final List<Runnable> acknowledgements = new ArrayList<>();

	private long lastFlush;

	private long lastCompleteFlush;

	private long lastFlushMillis;

	private String failure;

	private long failingSince;

	private volatile TaskStatus status = TaskStatus.INITIAL;

	private volatile Map<String, Long> committedOffsets = Map.of();

	public DeltaSinkTask(Settings settings, Decoder<T> decoder, RowMapper<T> mapper, PartitionAppender writer,
			OutputSink sink, SinkListener listener, Clock clock) {
		this.settings = settings;
		this.decoder = decoder;
		this.mapper = mapper;
		this.writer = writer;
		this.sink = sink;
		this.listener = listener;
		this.clock = clock;
		this.lastFlush = clock.millis();
	}

	/**
	 * The application id of a source partition's transaction ids in the table.
	 * @param partition the source partition
	 * @return for example {@code millrace-bronze-p3}
	 */
	public String appId(String partition) {
		return this.settings.appIdPrefix() + "-p" + partition;
	}

	@Override
	public void acceptUntilDone(InputBatch batch, StreamTask.Pause pause) {
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
				Duration doubled = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
				pause.pause((doubled.compareTo(MAX_RETRY_PAUSE) < 0) ? doubled : MAX_RETRY_PAUSE);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Stopped while retrying a batch of " + this.settings.source(), ex);
			}
		}
	}

	private synchronized void failed(RuntimeException ex, int attempt) {
		if (this.failure == null) {
			this.failingSince = this.clock.millis();
		}
		this.failure = ex.toString();
		logger.error("A batch of {} for {} failed (attempt {}); the input waits and the same batch is tried again",
				this.settings.source(), this.writer.definition().name(), attempt, ex);
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
	 * One batch; a commit that fails is thrown, and the caller must not go on with the
	 * next batch ({@link #acceptUntilDone} retries this one: its records are skipped as
	 * already taken, and the commit is tried again).
	 * @param batch the records and how to acknowledge them
	 */
	public synchronized void accept(InputBatch batch) {
		this.listener.consumed(batch.size());
		long now = micros();
		for (int i = 0; i < batch.size(); i++) {
			process(batch.partitions().get(i), batch.offsets().get(i), batch.payloads().get(i), now);
		}
		this.acknowledgements.add(batch.commit());
		try {
			if (due()) {
				Flush flush = flush();
				if (flush == Flush.FAILED) {
					throw new IllegalStateException("Could not commit to " + this.writer.definition().name()
							+ "; nothing was acknowledged, the batch is tried again");
				}
			}
		}
		finally {
			publish();
		}
	}

	private void process(String partition, long offset, byte[] payload, long nowMicros) {
		if (offset < 0) {
			// Without offsets no commit can say what it covers: exactly once is
			// impossible.
			// Held (and reported by health) rather than written without a position.
			throw new IllegalStateException(
					"The input " + this.settings.source() + " does not say where its records came from (partition "
							+ partition + ", no offset); a table sink needs the binder's partition and offset headers");
		}
		Partition state = owned(partition);
		if (offset >= 0
				&& (offset < state.nextOffset || (state.committed.isPresent() && offset <= state.committed.get()))) {
			this.listener.replaySkipped();
			return;
		}
		Decoded<T> decoded = this.decoder.decode(payload);
		if (decoded.isValid()) {
			Object[] row = this.mapper.toRow(new SourceRecord<>(partition, offset, payload, decoded.value()),
					nowMicros);
			if (row != null) {
				state.rows.add(row);
				state.rowOffsets.add(offset);
			}
			else {
				this.listener.filtered();
			}
		}
		else if (this.settings.deadLetterRejected()) {
			logger.warn("Dead-lettering record from {} partition {} offset {}: {} ({})", this.settings.source(),
					partition, offset, decoded.reason(), decoded.detail());
			state.deadLetters.add(DeadLetters.of(payload, decoded.reason(), decoded.detail(), this.settings.source(),
					partition, offset));
			this.listener.deadLettered(decoded.reason());
		}
		else {
			this.listener.rejectedSkipped(decoded.reason());
		}
		state.nextOffset = offset + 1;
		state.lastOffset = offset;
	}

	private boolean due() {
		if (this.clock.millis() - this.lastFlush >= this.settings.commitInterval().toMillis()) {
			return true;
		}
		for (Partition state : this.owned.values()) {
			if (state.rows.size() >= this.settings.commitRows()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public synchronized void tick() {
		try {
			if (due()) {
				flush();
			}
		}
		catch (RuntimeException ex) {
			logger.error("Commit of {} on the timer failed; retried", this.writer.definition().name(), ex);
		}
		publish();
	}

	/**
	 * Commit every partition's rows now.
	 * @return whether everything consumed so far is in the table (and acknowledged)
	 */
	public synchronized boolean flushNow() {
		try {
			return flush() == Flush.COMPLETE;
		}
		finally {
			publish();
		}
	}

	private Flush flush() {
		this.lastFlush = this.clock.millis();
		long started = System.nanoTime();
		List<OutputRecord> deadLetters = new ArrayList<>();
		for (Partition state : this.owned.values()) {
			if (!state.deadLetters.isEmpty()) {
				deadLetters.addAll(state.deadLetters);
				state.deadLetters.clear();
				state.deadLettersSent = true;
			}
		}
		this.sink.send(deadLetters);
		OutputSink.Delivery delivery = this.sink.awaitDelivered(this.settings.deliveryTimeout());
		if (delivery != OutputSink.Delivery.DELIVERED) {
			// A commit now could cover a dead letter that is nowhere yet.
			this.listener.commitFailed("delivery");
			logger.warn("Commit of {} postponed: dead letters are {}", this.writer.definition().name(),
					delivery.name().toLowerCase());
			return Flush.FAILED;
		}
		boolean complete = true;
		for (Map.Entry<String, Partition> entry : this.owned.entrySet()) {
			try {
				commit(entry.getKey(), entry.getValue());
			}
			catch (RuntimeException ex) {
				complete = false;
				this.listener.commitFailed("storage");
				logger.error("Could not commit partition {} of {} to {}; retried", entry.getKey(),
						this.settings.source(), this.writer.definition().name(), ex);
			}
		}
		this.lastFlushMillis = (System.nanoTime() - started) / 1_000_000;
		if (!complete) {
			return Flush.FAILED;
		}
		this.acknowledgements.forEach(Runnable::run);
		this.acknowledgements.clear();
		this.lastCompleteFlush = this.clock.millis();
		return Flush.COMPLETE;
	}

	/**
	 * Commit a partition's rows as one transaction with its id. When the table shows that
	 * another writer moved the partition, the rows the table holds already are dropped
	 * and the rest committed after them, so the partition's commits stay one unbroken
	 * chain of offsets whoever writes them.
	 */
	private void commit(String partition, Partition state) {
		for (int attempt = 1; attempt <= MAX_RESYNCS; attempt++) {
			if (state.lastOffset < 0 || (state.committed.isPresent() && state.lastOffset <= state.committed.get())) {
				return;
			}
			if (state.rows.isEmpty() && !state.deadLettersSent) {
				// Only skipped records (non-finals, say): reading them again after a
				// restart
				// costs less than a commit per interval.
				return;
			}
			long started = System.nanoTime();
			try {
				CommitResult result = this.writer.append(appId(partition), state.committed, state.lastOffset,
						state.rows);
				long took = System.nanoTime() - started;
				this.listener.committed(result, took);
				logger.debug(
						"Committed {} rows of partition {} up to offset {} as version {} of {} in {} ms ({} bytes)",
						result.rows(), partition, state.lastOffset, result.tableVersion(),
						this.writer.definition().name(), took / 1_000_000, result.bytes());
				state.committed = Optional.of(state.lastOffset);
				state.rows = new ArrayList<>();
				state.rowOffsets = new ArrayList<>();
				state.deadLettersSent = false;
				return;
			}
			catch (FencedException ex) {
				this.listener.fenced();
				logger.warn("{}; going on from there", ex.getMessage());
				state.resync(ex.committed());
			}
		}
		throw new IllegalStateException("Partition " + partition + " of " + this.writer.definition().name()
				+ " keeps moving under this writer: another instance writes it too");
	}

	@Override
	public synchronized Map<String, Long> assigned(List<String> partitions) {
		Map<String, Long> positions = new LinkedHashMap<>();
		for (String partition : partitions) {
			try {
				Partition state = owned(partition);
				state.committed.ifPresent((committed) -> positions.put(partition, committed + 1));
			}
			catch (RuntimeException ex) {
				// Its first record loads it again, retried until storage answers; records
				// at or below the committed offset are skipped then.
				logger.warn("Could not read the committed offset of partition {} from {}; retried with its records",
						partition, this.writer.definition().name(), ex);
			}
		}
		logger.info("Assigned partitions {} of {} to {}; resuming at {}", partitions, this.settings.source(),
				this.writer.definition().name(), positions);
		publish();
		return positions;
	}

	@Override
	public synchronized void revoked(List<String> partitions) {
		boolean complete;
		try {
			complete = flush() == Flush.COMPLETE;
		}
		catch (RuntimeException ex) {
			complete = false;
		}
		if (!complete) {
			// The next owner resumes from the table; nothing newer may be acknowledged.
			this.acknowledgements.clear();
			logger.warn("Partitions {} revoked before their rows were all committed; the next owner resumes from {}",
					partitions, this.writer.definition().name());
		}
		partitions.forEach(this.owned::remove);
		partitions.forEach(this.mapper::revoked);
		logger.info("Revoked partitions {} of {}", partitions, this.settings.source());
		publish();
	}

	private Partition owned(String partition) {
		Partition state = this.owned.get(partition);
		if (state == null) {
			state = new Partition(this.writer.committedVersion(appId(partition)));
			this.mapper.resumed(partition, state.committed);
			this.owned.put(partition, state);
			logger.info("Partition {} of {} is committed up to offset {} in {}", partition, this.settings.source(),
					state.committed.map(String::valueOf).orElse("(none)"), this.writer.definition().name());
		}
		return state;
	}

	private long micros() {
		return Math.multiplyExact(this.clock.millis(), 1000L);
	}

	private void publish() {
		Map<String, Long> next = new TreeMap<>();
		Map<String, Long> committed = new TreeMap<>();
		long held = this.sink.unconfirmed();
		for (Map.Entry<String, Partition> entry : this.owned.entrySet()) {
			Partition state = entry.getValue();
			next.put(entry.getKey(), state.nextOffset);
			state.committed.ifPresent((offset) -> committed.put(entry.getKey(), offset));
			held += state.rows.size() + state.deadLetters.size();
		}
		this.committedOffsets = Map.copyOf(committed);
		this.status = new TaskStatus(Map.copyOf(next), held, this.lastCompleteFlush, this.lastFlushMillis, this.failure,
				this.failingSince);
	}

	@Override
	public TaskStatus status() {
		return this.status;
	}

	/**
	 * @return the last offset committed to the table of each owned partition
	 */
	public Map<String, Long> committedOffsets() {
		return this.committedOffsets;
	}

	public String tableName() {
		return this.writer.definition().name();
	}

	private enum Flush {

		COMPLETE, FAILED

	}

	/** What this instance holds for a source partition it owns. */
	private static final class Partition {

		/** The last offset in the table, as this instance last read or wrote it. */
		private Optional<Long> committed;

		/** The offset after the last record taken; -1 before the first. */
		private long nextOffset = -1;

		/** The last record taken; -1 before the first. */
		private long lastOffset = -1;

		private List<Object[]> rows = new ArrayList<>();

		/** The source offset of each row. */
		private List<Long> rowOffsets = new ArrayList<>();

		private final List<OutputRecord> deadLetters = new ArrayList<>();

		/**
		 * Whether dead letters were sent for records not yet covered by a commit: the
		 * commit is then made even without rows, so they are not sent again.
		 */
		private boolean deadLettersSent;

		Partition(Optional<Long> committed) {
			this.committed = committed;
		}

		/**
		 * Another writer committed the partition up to {@code now}: keep what is above.
		 */
		void resync(Optional<Long> now) {
			this.committed = now;
			if (now.isEmpty()) {
				return;
			}
			List<Object[]> keptRows = new ArrayList<>();
			List<Long> keptOffsets = new ArrayList<>();
			for (int i = 0; i < this.rows.size(); i++) {
				if (this.rowOffsets.get(i) > now.get()) {
					keptRows.add(this.rows.get(i));
					keptOffsets.add(this.rowOffsets.get(i));
				}
			}
			this.rows = keptRows;
			this.rowOffsets = keptOffsets;
		}

	}

	/**
	 * How a sink task runs.
	 *
	 * @param source the input's name (a topic), for logs and dead-letter headers
	 * @param appIdPrefix the table's application-id prefix; a partition's id is
	 * {@code <prefix>-p<partition>}
	 * @param commitInterval how often buffered rows are committed
	 * @param commitRows a partition holding this many rows is committed at once
	 * @param deliveryTimeout how long a commit waits for its dead letters'
	 * acknowledgement
	 * @param deadLetterRejected whether rejected records are dead-lettered, or only
	 * counted
	 */
	public record Settings(String source, String appIdPrefix, Duration commitInterval, int commitRows,
			Duration deliveryTimeout, boolean deadLetterRejected) {
	}

}
