package io.millrace.lakehouse.sink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.InputBatch;
import io.millrace.runtime.task.OutputSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink task over a real table directory, fed batches as the transport delivers them
 * (the broker-facing paths are in the integration tests): positions from the Delta log,
 * the unbroken chain of commits when two instances write one partition, and dead letters
 * acknowledged before the commit and the consumer's acknowledgement.
 */
class DeltaSinkTaskTests {

	@TempDir
	Path root;

	private final BronzeTable bronze = new BronzeTable(false);

	private final RecordingSink sink = new RecordingSink();

	private DeltaSinkTask<TelemetryEvent> task() {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		DeltaTableWriter writer = new DeltaTableWriter(DefaultEngine.create(storage.fileIO()), storage,
				this.bronze.definition(), "test");
		writer.ensureTable();
		return new DeltaSinkTask<>(
				new DeltaSinkTask.Settings("telemetry-raw", "millrace-bronze", Duration.ofHours(1), 1_000_000,
						Duration.ofSeconds(1), true),
				ContractDecoders.telemetryEvents(), this.bronze, writer, this.sink, SinkListener.NONE,
				Clock.systemUTC());
	}

	private static InputBatch batch(String partition, long from, long to, AtomicInteger acknowledged) {
		List<byte[]> payloads = new ArrayList<>();
		List<String> partitions = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		for (long offset = from; offset <= to; offset++) {
			String json = (offset == 3) ? "{not json" : "{\"eventId\":\"e" + offset + "\",\"sensorId\":\"s\",\"value\":"
					+ offset + ",\"timestamp\":\"2026-01-01T00:00:00Z\"}";
			payloads.add(json.getBytes(StandardCharsets.UTF_8));
			partitions.add(partition);
			offsets.add(offset);
		}
		return new InputBatch(payloads, partitions, offsets, acknowledged::incrementAndGet);
	}

	private Map<Long, Long> offsetsInTable() {
		return new KernelTableReader(this.root.resolve(BronzeTable.NAME)).rows()
			.stream()
			.collect(Collectors.groupingBy((row) -> (Long) row.get("source_offset"), Collectors.counting()));
	}

	@Test
	void aRestartedTaskResumesAfterTheCommittedOffsetAndSkipsWhatTheTableHolds() {
		AtomicInteger acknowledged = new AtomicInteger();
		DeltaSinkTask<TelemetryEvent> first = task();
		assertThat(first.assigned(List.of("0"))).isEmpty();
		first.accept(batch("0", 0, 9, acknowledged));
		assertThat(acknowledged).as("nothing acknowledged before the commit").hasValue(0);
		assertThat(first.flushNow()).isTrue();
		assertThat(acknowledged).hasValue(1);

		DeltaSinkTask<TelemetryEvent> second = task();
		assertThat(second.assigned(List.of("0"))).isEqualTo(Map.of("0", 10L));
		// Redelivered anyway (no seek on Event Hubs): skipped.
		second.accept(batch("0", 5, 14, acknowledged));
		assertThat(second.flushNow()).isTrue();

		Map<Long, Long> offsets = offsetsInTable();
		assertThat(offsets.keySet()).hasSize(14).doesNotContain(3L);
		assertThat(offsets.values()).allMatch((count) -> count == 1);
		assertThat(this.sink.sent).as("the poison record, dead-lettered once").hasSize(1);
	}

	@Test
	void aZombieAndTheNewOwnerOfAPartitionWriteEachRecordOnce() {
		AtomicInteger acknowledged = new AtomicInteger();
		DeltaSinkTask<TelemetryEvent> zombie = task();
		zombie.assigned(List.of("0"));
		zombie.accept(batch("0", 0, 19, acknowledged));
		// The partition moves without the zombie noticing; the new owner commits part of
		// what the zombie holds, and more of it later.
		DeltaSinkTask<TelemetryEvent> owner = task();
		owner.assigned(List.of("0"));
		owner.accept(batch("0", 0, 9, acknowledged));
		assertThat(owner.flushNow()).isTrue();

		// The zombie's commit finds the partition at 9: rows 0..9 are dropped, 10..19
		// go in after them.
		assertThat(zombie.flushNow()).isTrue();
		assertThat(zombie.committedOffsets()).containsEntry("0", 19L);
		// The owner reads on: what the zombie wrote is skipped.
		owner.accept(batch("0", 10, 24, acknowledged));
		assertThat(owner.flushNow()).isTrue();

		Map<Long, Long> offsets = offsetsInTable();
		assertThat(offsets.keySet()).hasSize(24).doesNotContain(3L);
		assertThat(offsets.values()).as("each record once").allMatch((count) -> count == 1);
	}

	@Test
	void nothingIsCommittedOrAcknowledgedWhileDeadLettersAreNotDelivered() {
		AtomicInteger acknowledged = new AtomicInteger();
		DeltaSinkTask<TelemetryEvent> task = task();
		task.assigned(List.of("0"));
		this.sink.delivery = OutputSink.Delivery.PENDING;
		task.accept(batch("0", 0, 5, acknowledged));
		assertThat(task.flushNow()).isFalse();
		assertThat(acknowledged).hasValue(0);
		assertThat(offsetsInTable()).isEmpty();
		assertThat(task.status().heldRecords()).isPositive();

		this.sink.delivery = OutputSink.Delivery.DELIVERED;
		assertThat(task.flushNow()).isTrue();
		assertThat(acknowledged).hasValue(1);
		assertThat(offsetsInTable()).hasSize(5);
	}

	/** Records what is sent; says delivered, or not, as the test sets it. */
	static final class RecordingSink implements OutputSink {

		final List<OutputRecord> sent = new ArrayList<>();

		volatile Delivery delivery = Delivery.DELIVERED;

		@Override
		public void send(List<OutputRecord> records) {
			this.sent.addAll(records);
		}

		@Override
		public Delivery awaitDelivered(Duration timeout) {
			return this.delivery;
		}

		@Override
		public int unconfirmed() {
			return (this.delivery == Delivery.DELIVERED) ? 0 : this.sent.size();
		}

	}

}
