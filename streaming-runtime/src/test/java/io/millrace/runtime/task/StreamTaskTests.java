package io.millrace.runtime.task;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.millrace.runtime.checkpoint.CheckpointStore;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.decode.Decoder;
import io.millrace.runtime.operator.InputRecord;
import io.millrace.runtime.operator.Operator;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.operator.Outputs;
import io.millrace.runtime.operator.PartitionOutputs;
import io.millrace.storage.LocalDirectoryObjectStore;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.StorageException;
import io.millrace.storage.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's guarantees on a real local-directory store, with a sink that records what
 * it is handed: outputs held until the checkpoint that covers them, commits only after
 * it, restore with re-send and skip, dead letters, fencing.
 */
class StreamTaskTests {

	private static final Decoder<Long> NUMBERS = (payload) -> {
		String text = new String(payload, StandardCharsets.UTF_8);
		try {
			return Decoded.valid(Long.parseLong(text));
		}
		catch (NumberFormatException ex) {
			return Decoded.rejected(DeadLetters.UNDECODABLE, "not a number: " + text);
		}
	};

	@TempDir
	Path directory;

	private final RecordingSink sink = new RecordingSink();

	private final MutableClock clock = new MutableClock();

	@Test
	void outputsWaitForTheCheckpointThatCoversThemAndCommitsFollowIt() {
		StreamTask<Long> task = task(new RunningSum());
		AtomicInteger commits = new AtomicInteger();
		task.accept(batch("0", 0, commits, "1", "2"));
		assertThat(this.sink.sent).isEmpty();
		assertThat(commits).hasValue(0);
		assertThat(task.status().heldRecords()).isEqualTo(2);

		this.clock.advance(Duration.ofSeconds(1));
		task.tick();

		assertThat(payloads(this.sink.sent)).containsExactly("0:1", "0:3");
		assertThat(commits).hasValue(1);
		assertThat(task.status().nextOffsets()).containsEntry("0", 2L);
		assertThat(task.status().lastCheckpointAt()).isPositive();
	}

	@Test
	void aRestoredPartitionSendsItsPendingRecordsAgainAndSkipsWhatItHolds() {
		StreamTask<Long> first = task(new RunningSum());
		first.accept(batch("0", 0, new AtomicInteger(), "5", "6"));
		this.clock.advance(Duration.ofSeconds(1));
		first.tick();
		// Processed after the checkpoint, never checkpointed: lost with the crash.
		first.accept(batch("0", 2, new AtomicInteger(), "7"));

		RecordingSink afterCrash = new RecordingSink();
		StreamTask<Long> second = new StreamTask<>(settings(), NUMBERS, new RunningSum(), store(), afterCrash,
				TaskListener.NONE, this.clock);
		assertThat(second.assigned(List.of("0"))).containsEntry("0", 2L);
		// The binder redelivers from the committed offset: 0 and 1 are skipped.
		second.accept(batch("0", 0, new AtomicInteger(), "5", "6", "7"));
		this.clock.advance(Duration.ofSeconds(1));
		second.tick();

		// The checkpoint's records may not have been delivered before the crash: sent
		// again, the same bytes; then what the replay adds.
		assertThat(payloads(afterCrash.sent)).containsExactly("0:5", "0:11", "0:18");
	}

	@Test
	void aRecordThatCannotBeDecodedIsDeadLetteredWithWhereItCameFrom() {
		StreamTask<Long> task = task(new RunningSum());
		task.accept(batch("3", 41, new AtomicInteger(), "x", "4"));
		this.clock.advance(Duration.ofSeconds(1));
		task.tick();

		OutputRecord dead = this.sink.sent.get(0);
		assertThat(dead.output()).isEqualTo(DeadLetters.OUTPUT);
		assertThat(new String(dead.payload(), StandardCharsets.UTF_8)).isEqualTo("x");
		assertThat(dead.headers()).containsEntry(DeadLetters.ERROR_REASON, DeadLetters.UNDECODABLE)
			.containsEntry(DeadLetters.ERROR_DETAIL, "not a number: x")
			.containsEntry(DeadLetters.SOURCE_TOPIC, "numbers")
			.containsEntry(DeadLetters.SOURCE_PARTITION, "3")
			.containsEntry(DeadLetters.SOURCE_OFFSET, "41");
		assertThat(payloads(this.sink.sent.subList(1, 2))).containsExactly("3:4");
	}

	@Test
	void aSecondReaderOfAnInputSkipsWhatTheDecoderRejectsInsteadOfDeadLetteringItAgain() {
		List<String> skipped = new ArrayList<>();
		TaskListener listener = new TaskListener() {
			@Override
			public void rejectedSkipped(String reason) {
				skipped.add(reason);
			}
		};
		StreamTask<Long> task = new StreamTask<>(settings().skippingRejected(), NUMBERS, new RunningSum(), store(),
				this.sink, listener, this.clock);
		task.accept(batch("3", 41, new AtomicInteger(), "x", "4"));
		this.clock.advance(Duration.ofSeconds(1));
		task.tick();

		assertThat(skipped).containsExactly(DeadLetters.UNDECODABLE);
		assertThat(this.sink.sent).extracting(OutputRecord::output).doesNotContain(DeadLetters.OUTPUT);
		assertThat(payloads(this.sink.sent)).containsExactly("3:4");
	}

	@Test
	void anInstanceThatLostAPartitionCannotOverwriteItsNewOwnersCheckpoint() {
		StreamTask<Long> old = task(new RunningSum());
		old.accept(batch("0", 0, new AtomicInteger(), "1"));
		this.clock.advance(Duration.ofSeconds(1));
		old.tick();

		StreamTask<Long> taker = new StreamTask<>(settings(), NUMBERS, new RunningSum(), store(), new RecordingSink(),
				TaskListener.NONE, this.clock);
		taker.assigned(List.of("0"));
		taker.accept(batch("0", 1, new AtomicInteger(), "10"));
		this.clock.advance(Duration.ofSeconds(1));
		taker.tick();

		AtomicInteger commits = new AtomicInteger();
		// The checkpoint due with this batch is refused: the partition has a newer owner.
		old.accept(batch("0", 1, commits, "100"));
		assertThat(commits).hasValue(0);
		assertThat(old.status().nextOffsets()).doesNotContainKey("0");
		assertThat(store().load("0").orElseThrow().checkpoint().nextOffset()).isEqualTo(2);
	}

	@Test
	void incrementalCheckpointsWriteChangesThenCompactAndRestoreExactly() {
		LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(this.directory);
		StreamTask.Settings settings = new StreamTask.Settings("numbers", Duration.ofSeconds(1), Duration.ofSeconds(5),
				3, true);
		ValueLog log = new ValueLog();
		StreamTask<Long> task = new StreamTask<>(settings, NUMBERS, log, store(), this.sink, TaskListener.NONE,
				this.clock);
		// One value and one checkpoint at a time. A chain is compacted once its changes
		// reach half its full snapshot or number three: full (1 value), changes, full
		// (3),
		// changes, changes, full (6), changes, changes, changes, full (10).
		List<Integer> segmentsAfter = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			task.accept(batch("0", i, new AtomicInteger(), String.valueOf(i + 1)));
			this.clock.advance(Duration.ofSeconds(1));
			task.tick();
			segmentsAfter.add(objects.list("test/segments/").size());
		}
		assertThat(log.fullSnapshots).isEqualTo(4);
		assertThat(log.changeSnapshots).isEqualTo(6);
		// What no checkpoint names any more is deleted at each compaction.
		assertThat(segmentsAfter).containsExactly(1, 2, 1, 2, 3, 1, 2, 3, 4, 1);

		ValueLog restored = new ValueLog();
		StreamTask<Long> second = new StreamTask<>(settings, NUMBERS, restored, store(), new RecordingSink(),
				TaskListener.NONE, this.clock);
		second.assigned(List.of("0"));
		assertThat(restored.values.get("0")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
	}

	@Test
	void aPartitionThatLeavesAndComesBackWritesNewSegments() {
		AtomicInteger commits = new AtomicInteger();
		StreamTask<Long> task = new StreamTask<>(settings(), NUMBERS, new ValueLog(), store(), this.sink,
				TaskListener.NONE, this.clock);
		task.accept(batch("0", 0, commits, "1"));
		this.clock.advance(Duration.ofSeconds(1));
		task.tick();
		task.revoked(List.of("0"));
		task.assigned(List.of("0"));
		task.accept(batch("0", 1, commits, "2"));
		task.revoked(List.of("0"));
		task.assigned(List.of("0"));
		task.accept(batch("0", 2, commits, "3"));
		this.clock.advance(Duration.ofSeconds(1));
		task.tick();

		assertThat(commits).hasValue(3);
		ValueLog restored = new ValueLog();
		new StreamTask<>(settings(), NUMBERS, restored, store(), new RecordingSink(), TaskListener.NONE, this.clock)
			.assigned(List.of("0"));
		assertThat(restored.values.get("0")).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aRecordTheOperatorFailsOnIsDeadLetteredAndTheRestGoOn() {
		StreamTask<Long> task = task(new FailingOn(13L, new RunningSum()));
		AtomicInteger commits = new AtomicInteger();
		task.accept(batch("2", 7, commits, "1", "13", "2"));
		this.clock.advance(Duration.ofSeconds(1));
		task.tick();

		assertThat(payloads(this.sink.sent)).containsExactly("2:1", "13", "2:3");
		OutputRecord dead = this.sink.sent.get(1);
		assertThat(dead.output()).isEqualTo(DeadLetters.OUTPUT);
		assertThat(dead.headers()).containsEntry(DeadLetters.ERROR_REASON, DeadLetters.OPERATOR_FAILED)
			.containsEntry(DeadLetters.ERROR_DETAIL, "java.lang.IllegalArgumentException: unlucky 13")
			.containsEntry(DeadLetters.SOURCE_OFFSET, "8");
		assertThat(commits).hasValue(1);
	}

	@Test
	void aFailingBatchHoldsTheInputAndIsRetriedUntilItGoesInWithNothingLostOrTwice() {
		FlakyStore objects = new FlakyStore(new LocalDirectoryObjectStore(this.directory));
		StreamTask<Long> first = task(new RunningSum());
		first.accept(batch("0", 0, new AtomicInteger(), "1", "2"));
		this.clock.advance(Duration.ofSeconds(1));
		first.tick();

		// A new owner cannot read the partition's checkpoint: storage is down for two
		// attempts. Partition 1 has no checkpoint to read and is in the same batch.
		CountingListener listener = new CountingListener();
		RecordingSink sink = new RecordingSink();
		StreamTask<Long> second = new StreamTask<>(settings(), NUMBERS, new RunningSum(),
				new CheckpointStore(objects, "test"), sink, listener, this.clock);
		objects.failingReads = 2;
		List<Duration> pauses = new ArrayList<>();
		List<String> failuresSeen = new ArrayList<>();
		InputBatch batch = new InputBatch(List.of("5".getBytes(StandardCharsets.UTF_8),
				"3".getBytes(StandardCharsets.UTF_8), "4".getBytes(StandardCharsets.UTF_8)), List.of("1", "0", "0"),
				List.of(0L, 2L, 3L), () -> {
				});
		second.acceptUntilDone(batch, (pause) -> {
			pauses.add(pause);
			failuresSeen.add(second.status().failure());
			this.clock.advance(pause);
		});

		assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertThat(failuresSeen).allSatisfy((failure) -> assertThat(failure).contains("storage is down"));
		assertThat(listener.batchFailures).isEqualTo(2);
		assertThat(second.status().failing()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		second.tick();
		// Partition 0's checkpoint sends its records again once restored, then goes on
		// from it (1 + 2); partition 1's record went in on the first attempt and was
		// skipped on the retries.
		assertThat(payloads(sink.sent)).containsExactly("0:1", "0:3", "0:6", "0:10", "1:5");
	}

	@Test
	void retryPausesDoubleUpToThirtySeconds() {
		assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(StreamTask::retryPause).toList())
			.extracting(Duration::toSeconds)
			.containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
	}

	@Test
	void segmentsLeftByAWriterThatDiedBeforeNamingThemAreDeletedByTheNextOwner() {
		LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(this.directory);
		StreamTask<Long> first = new StreamTask<>(settings(), NUMBERS, new ValueLog(), store(), this.sink,
				TaskListener.NONE, this.clock);
		first.accept(batch("0", 0, new AtomicInteger(), "1"));
		this.clock.advance(Duration.ofSeconds(1));
		first.tick();
		// A writer that crashed between writing a segment and the checkpoint naming it.
		String stray = store().writeSegment("0", "crashed-1-changes", new byte[] { 1, 2, 3 });
		assertThat(objects.list("test/segments/partition-0/")).hasSize(2);

		ValueLog restored = new ValueLog();
		StreamTask<Long> second = new StreamTask<>(settings(), NUMBERS, restored, store(), new RecordingSink(),
				TaskListener.NONE, this.clock);
		second.assigned(List.of("0"));
		second.accept(batch("0", 1, new AtomicInteger(), "2"));
		this.clock.advance(Duration.ofSeconds(1));
		second.tick();

		List<String> named = store().load("0").orElseThrow().checkpoint().segments();
		assertThat(objects.list("test/segments/partition-0/")).containsExactlyInAnyOrderElementsOf(named)
			.doesNotContain(stray);
		ValueLog again = new ValueLog();
		new StreamTask<>(settings(), NUMBERS, again, store(), new RecordingSink(), TaskListener.NONE, this.clock)
			.assigned(List.of("0"));
		assertThat(again.values.get("0")).containsExactly(1L, 2L);
	}

	private StreamTask<Long> task(Operator<Long> operator) {
		return new StreamTask<>(settings(), NUMBERS, operator, store(), this.sink, TaskListener.NONE, this.clock);
	}

	private static StreamTask.Settings settings() {
		return new StreamTask.Settings("numbers", Duration.ofSeconds(1), Duration.ofSeconds(5));
	}

	private CheckpointStore store() {
		return new CheckpointStore(new LocalDirectoryObjectStore(this.directory), "test");
	}

	private static InputBatch batch(String partition, long firstOffset, AtomicInteger commits, String... values) {
		List<byte[]> payloads = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < values.length; i++) {
			payloads.add(values[i].getBytes(StandardCharsets.UTF_8));
			offsets.add(firstOffset + i);
		}
		return new InputBatch(payloads, java.util.Collections.nCopies(values.length, partition), offsets,
				commits::incrementAndGet);
	}

	private static List<String> payloads(List<OutputRecord> records) {
		return records.stream().map((record) -> new String(record.payload(), StandardCharsets.UTF_8)).toList();
	}

	/** Emits each partition's running sum after every number. */
	private static final class RunningSum implements Operator<Long> {

		private final Map<String, Long> sums = new HashMap<>();

		@Override
		public void process(InputRecord<Long> record, Outputs out) {
			long sum = this.sums.merge(record.partition(), record.value(), Long::sum);
			out.emit(new OutputRecord("sums", record.partition(), Map.of(),
					(record.partition() + ":" + sum).getBytes(StandardCharsets.UTF_8)));
		}

		@Override
		public void onTimer(long now, PartitionOutputs out) {
		}

		@Override
		public byte[] snapshot(String partition) {
			return ByteBuffer.allocate(8).putLong(this.sums.getOrDefault(partition, 0L)).array();
		}

		@Override
		public void restore(String partition, byte[] state) {
			this.sums.put(partition, ByteBuffer.wrap(state).getLong());
		}

		@Override
		public void release(String partition) {
			this.sums.remove(partition);
		}

	}

	/**
	 * Keeps every value per partition; its changes are the values added since a snapshot.
	 */
	private static final class ValueLog implements Operator<Long> {

		private final Map<String, List<Long>> values = new HashMap<>();

		private final Map<String, Integer> snapshotted = new HashMap<>();

		private int fullSnapshots;

		private int changeSnapshots;

		@Override
		public void process(InputRecord<Long> record, Outputs out) {
			this.values.computeIfAbsent(record.partition(), (key) -> new ArrayList<>()).add(record.value());
		}

		@Override
		public void onTimer(long now, PartitionOutputs out) {
		}

		@Override
		public byte[] snapshot(String partition) {
			this.fullSnapshots++;
			return encode(partition, 0);
		}

		@Override
		public byte[] snapshotChanges(String partition) {
			this.changeSnapshots++;
			return encode(partition, this.snapshotted.getOrDefault(partition, 0));
		}

		private byte[] encode(String partition, int from) {
			List<Long> all = this.values.getOrDefault(partition, List.of());
			this.snapshotted.put(partition, all.size());
			ByteBuffer buffer = ByteBuffer.allocate(8 * (all.size() - from));
			all.subList(from, all.size()).forEach(buffer::putLong);
			return buffer.array();
		}

		@Override
		public void restore(String partition, byte[] state) {
			restore(partition, state, List.of());
		}

		@Override
		public void restore(String partition, byte[] state, List<byte[]> changes) {
			List<Long> all = new ArrayList<>();
			for (byte[] segment : java.util.stream.Stream.concat(java.util.stream.Stream.of(state), changes.stream())
				.toList()) {
				ByteBuffer buffer = ByteBuffer.wrap(segment);
				while (buffer.hasRemaining()) {
					all.add(buffer.getLong());
				}
			}
			this.values.put(partition, all);
			this.snapshotted.put(partition, all.size());
		}

		@Override
		public void release(String partition) {
			this.values.remove(partition);
			this.snapshotted.remove(partition);
		}

	}

	/** Throws on one value, else does what the operator it wraps does. */
	private record FailingOn(long unlucky, RunningSum delegate) implements Operator<Long> {

		@Override
		public void process(InputRecord<Long> record, Outputs out) {
			if (record.value() == this.unlucky) {
				throw new IllegalArgumentException("unlucky " + this.unlucky);
			}
			this.delegate.process(record, out);
		}

		@Override
		public void onTimer(long now, PartitionOutputs out) {
		}

		@Override
		public byte[] snapshot(String partition) {
			return this.delegate.snapshot(partition);
		}

		@Override
		public void restore(String partition, byte[] state) {
			this.delegate.restore(partition, state);
		}

		@Override
		public void release(String partition) {
			this.delegate.release(partition);
		}

	}

	/**
	 * A real store whose reads of partition 0's checkpoint fail while
	 * {@link #failingReads} is positive.
	 */
	private static final class FlakyStore implements ObjectStore {

		private final ObjectStore store;

		private int failingReads;

		FlakyStore(ObjectStore store) {
			this.store = store;
		}

		@Override
		public Optional<StoredObject> get(String key) {
			if (key.endsWith("partition-0") && this.failingReads > 0) {
				this.failingReads--;
				throw new StorageException("storage is down");
			}
			return this.store.get(key);
		}

		@Override
		public String put(String key, byte[] data, Precondition precondition) {
			return this.store.put(key, data, precondition);
		}

		@Override
		public void delete(String key, Precondition precondition) {
			this.store.delete(key, precondition);
		}

		@Override
		public List<String> list(String prefix) {
			return this.store.list(prefix);
		}

	}

	private static final class CountingListener implements TaskListener {

		private int batchFailures;

		@Override
		public void batchFailed() {
			this.batchFailures++;
		}

	}

	/** Everything it is handed is delivered at once. */
	private static final class RecordingSink implements OutputSink {

		private final List<OutputRecord> sent = new ArrayList<>();

		@Override
		public void send(List<OutputRecord> records) {
			this.sent.addAll(records);
		}

		@Override
		public Delivery awaitDelivered(Duration timeout) {
			return Delivery.DELIVERED;
		}

		@Override
		public int unconfirmed() {
			return 0;
		}

	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-12-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
