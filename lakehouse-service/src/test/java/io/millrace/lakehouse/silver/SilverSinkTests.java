package io.millrace.lakehouse.silver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.KernelTableReader;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.sink.DeltaSinkTask;
import io.millrace.lakehouse.sink.SinkListener;
import io.millrace.lakehouse.storage.LocalTableStorage;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.InputBatch;
import io.millrace.runtime.task.OutputSink;
import io.millrace.model.sensor.SensorRegistrySnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Silver sink (the runtime's sink task, {@link SilverPipeline} and
 * {@link SilverCommitter}) over real table directories, fed batches as the transport
 * delivers them: readings per metric, dedupe that survives a restart, enrichment, each
 * expectation action with the quarantine and quality tables, and a {@code fail} rule that
 * stops the input with nothing committed past the record.
 */
class SilverSinkTests {

	private static final Instant T0 = Instant.parse("2026-04-01T12:00:00Z");

	@TempDir
	Path root;

	private final SensorRegistrySnapshot registry = new SensorRegistrySnapshot();

	private final List<String> stopped = new ArrayList<>();

	private DeltaSinkTask<TelemetryEvent> task(Duration horizon, Expectation... expectations) {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		Engine engine = DefaultEngine.create(storage.fileIO());
		DeltaTableWriter readings = writer(engine, storage, SilverTables.readings());
		DeltaTableWriter quarantine = writer(engine, storage, SilverTables.quarantine());
		DeltaTableWriter results = writer(engine, storage, SilverTables.expectationResults());
		SilverListener listener = new SilverListener() {

			@Override
			public void stopped(Expectation expectation) {
				SilverSinkTests.this.stopped.add(expectation.name());
			}

		};
		SilverCommitter committer = new SilverCommitter(readings, quarantine, results,
				new DeltaTableReader(engine, storage, SilverTables.readings()),
				new DeltaTableReader(engine, storage, SilverTables.quarantine()), List.of(expectations), listener,
				Clock.systemUTC());
		SilverPipeline pipeline = new SilverPipeline(List.of(expectations), Map.of("temp", "temperature"), horizon,
				this.registry, committer, listener);
		return new DeltaSinkTask<>(
				new DeltaSinkTask.Settings("telemetry-raw", "millrace-silver", Duration.ofHours(1), 1_000_000,
						Duration.ofSeconds(1), false),
				ContractDecoders.telemetryEvents(), pipeline, committer, new NoDeadLetters(), SinkListener.NONE,
				Clock.systemUTC());
	}

	private static DeltaTableWriter writer(Engine engine, LocalTableStorage storage, TableDefinition definition) {
		DeltaTableWriter writer = new DeltaTableWriter(engine, storage, definition, "test");
		writer.ensureTable();
		return writer;
	}

	/** An event with two metrics, {@code Temp} (an alias) and {@code relHumidity}. */
	private static String event(String id, String sensor, Instant time, double temperature) {
		return "{\"eventId\":\"" + id + "\",\"sensorId\":\"" + sensor + "\",\"timestamp\":\"" + time
				+ "\",\"measurements\":{\"Temp\":" + temperature + ",\"relHumidity\":40}}";
	}

	private static InputBatch batch(long firstOffset, List<String> events, AtomicInteger acknowledged) {
		List<byte[]> payloads = new ArrayList<>();
		List<String> partitions = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			payloads.add(events.get(i).getBytes(StandardCharsets.UTF_8));
			partitions.add("0");
			offsets.add(firstOffset + i);
		}
		return new InputBatch(payloads, partitions, offsets, acknowledged::incrementAndGet);
	}

	private List<Map<String, Object>> rows(String table) {
		return new KernelTableReader(this.root.resolve(table)).rows();
	}

	@Test
	void oneReadingPerEventAndMetricWithResendsLeftOutAcrossARestart() {
		AtomicInteger acknowledged = new AtomicInteger();
		this.registry.put(new SensorMetadata("s1", "Boiler 1", Map.of("site", "north"),
				new SensorMetadata.Location(51.5, -0.1, "Plant A"), Map.of("temperature", "°C"), Map.of(), T0));
		DeltaSinkTask<TelemetryEvent> first = task(Duration.ofMinutes(10));
		first.assigned(List.of("0"));
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			events.add(event("e" + i, (i % 2 == 0) ? "s1" : "s2", T0.plusSeconds(i), 20 + i));
		}
		// A resend of e3 in the same run: left out.
		events.add(event("e3", "s2", T0.plusSeconds(3), 23));
		first.accept(batch(0, events, acknowledged));
		assertThat(first.flushNow()).isTrue();

		// A new instance: the dedupe memory is rebuilt from the tables.
		DeltaSinkTask<TelemetryEvent> second = task(Duration.ofMinutes(10));
		assertThat(second.assigned(List.of("0"))).containsEntry("0", 11L);
		second.accept(batch(11,
				List.of(event("e1", "s2", T0.plusSeconds(1), 21), event("e10", "s1", T0.plusSeconds(10), 30),
						// Far beyond the horizon, e0 is forgotten...
						event("e11", "s1", T0.plusSeconds(3600), 31)),
				acknowledged));
		// ...so its resend is a new reading.
		second.accept(batch(14, List.of(event("e0", "s1", T0, 20)), acknowledged));
		assertThat(second.flushNow()).isTrue();

		List<Map<String, Object>> readings = rows(SilverTables.READINGS);
		Map<String, Long> perReading = readings.stream()
			.collect(Collectors.groupingBy(
					(row) -> row.get("event_id") + "/" + row.get("metric") + "/" + row.get("source_offset"),
					Collectors.counting()));
		assertThat(readings).as("(10 + e10 + e11 + e0 again) x 2 metrics").hasSize(26);
		assertThat(perReading.values()).allMatch((count) -> count == 1);
		assertThat(readings.stream().map((row) -> row.get("metric")).distinct())
			.containsExactlyInAnyOrder("temperature", "rel_humidity");
		assertThat(readings.stream().filter((row) -> "e1".equals(row.get("event_id")))).hasSize(2);
		assertThat(readings.stream().filter((row) -> "e3".equals(row.get("event_id")))).hasSize(2);

		Map<String, Object> enriched = readings.stream()
			.filter((row) -> "e0".equals(row.get("event_id")) && "temperature".equals(row.get("metric")))
			.findFirst()
			.orElseThrow();
		assertThat(enriched).containsEntry("source_metric", "Temp")
			.containsEntry("unit", "°C")
			.containsEntry("sensor_name", "Boiler 1")
			.containsEntry("location", "Plant A")
			.containsEntry("latitude", 51.5)
			.containsEntry("sensor_tags", Map.of("site", "north"));
		Map<String, Object> unknownSensor = readings.stream()
			.filter((row) -> "e1".equals(row.get("event_id")))
			.findFirst()
			.orElseThrow();
		assertThat(unknownSensor.get("sensor_name")).isNull();
		assertThat(unknownSensor.get("sensor_tags")).isNull();
	}

	@Test
	void theDedupeRebuildReadsOnlyTheDaysWithinTheHorizonOfTheNewestEvent() {
		AtomicInteger acknowledged = new AtomicInteger();
		DeltaSinkTask<TelemetryEvent> first = task(Duration.ofHours(2));
		first.assigned(List.of("0"));
		// Three days: one a week old, then 23:30 the day before and 00:30 of the newest
		// day, an hour apart, both within the two-hour horizon.
		Instant newestDay = Instant.parse("2026-04-08T00:00:00Z");
		first.accept(batch(0,
				List.of(event("old", "s1", newestDay.minus(Duration.ofDays(7)), 20),
						event("late-evening", "s1", newestDay.minus(Duration.ofMinutes(30)), 21),
						event("past-midnight", "s1", newestDay.plus(Duration.ofMinutes(30)), 22)),
				acknowledged));
		assertThat(first.flushNow()).isTrue();

		LocalTableStorage storage = new LocalTableStorage(this.root);
		Engine engine = DefaultEngine.create(storage.fileIO());
		SilverCommitter committer = new SilverCommitter(writer(engine, storage, SilverTables.readings()),
				writer(engine, storage, SilverTables.quarantine()),
				writer(engine, storage, SilverTables.expectationResults()),
				new DeltaTableReader(engine, storage, SilverTables.readings()),
				new DeltaTableReader(engine, storage, SilverTables.quarantine()), List.of(), SilverListener.NONE,
				Clock.systemUTC());
		long twoHours = Duration.ofHours(2).toMillis() * 1000;
		assertThat(committer.admitted("0", 2, twoHours).stream().map(AdmittedHistory.Admitted::eventId))
			.as("the week-old day is not read; both days within the horizon are")
			.containsExactlyInAnyOrder("late-evening", "past-midnight");
		assertThat(committer.admitted("0", 1, twoHours).stream().map(AdmittedHistory.Admitted::eventId))
			.as("up to offset 1 the newest admitted event is the evening's")
			.containsExactlyInAnyOrder("late-evening");
		assertThat(committer.admitted("1", 2, twoHours)).isEmpty();

		// And the rebuilt memory still leaves resends within the horizon out.
		DeltaSinkTask<TelemetryEvent> second = task(Duration.ofHours(2));
		assertThat(second.assigned(List.of("0"))).containsEntry("0", 3L);
		second.accept(batch(3, List.of(event("late-evening", "s1", newestDay.minus(Duration.ofMinutes(30)), 21),
				event("fresh", "s1", newestDay.plus(Duration.ofMinutes(40)), 23)), acknowledged));
		assertThat(second.flushNow()).isTrue();
		assertThat(rows(SilverTables.READINGS).stream().map((row) -> (String) row.get("event_id")).distinct())
			.containsExactlyInAnyOrder("old", "late-evening", "past-midnight", "fresh");
		assertThat(rows(SilverTables.READINGS).stream().filter((row) -> "late-evening".equals(row.get("event_id"))))
			.hasSize(2);
	}

	@Test
	void warnKeepsDropQuarantinesAndEachCommitRecordsTheResults() {
		AtomicInteger acknowledged = new AtomicInteger();
		Expectation warm = ExpectationParser.parse("not-too-warm", "value <= 42", "warn");
		Expectation range = ExpectationParser.parse("value-in-range", "value BETWEEN -50 AND 150", "drop");
		DeltaSinkTask<TelemetryEvent> task = task(Duration.ofMinutes(10), warm, range);
		task.assigned(List.of("0"));
		task.accept(batch(0, List.of(event("a", "s1", T0, 20), event("b", "s1", T0.plusSeconds(1), 45),
				event("c", "s1", T0.plusSeconds(2), 999)), acknowledged));
		assertThat(task.flushNow()).isTrue();

		List<Map<String, Object>> readings = rows(SilverTables.READINGS);
		assertThat(readings).as("a: 2, b: 2, c: humidity only").hasSize(5);
		assertThat(readings.stream()
			.filter((row) -> "b".equals(row.get("event_id")) && "temperature".equals(row.get("metric"))))
			.singleElement()
			.satisfies((row) -> assertThat(row.get("warnings")).isEqualTo("not-too-warm"));
		assertThat(readings.stream().filter((row) -> "a".equals(row.get("event_id"))))
			.allSatisfy((row) -> assertThat(row.get("warnings")).isNull());

		assertThat(rows(SilverTables.QUARANTINE)).singleElement().satisfies((row) -> {
			assertThat(row).containsEntry("event_id", "c")
				.containsEntry("metric", "temperature")
				.containsEntry("value", 999.0)
				.containsEntry("failed_rules", "value-in-range")
				.containsEntry("source_offset", 2L);
			assertThat((String) row.get("reason")).isEqualTo("value-in-range: value BETWEEN -50 AND 150 (value=999.0)");
		});

		List<Map<String, Object>> results = rows(SilverTables.EXPECTATION_RESULTS);
		assertThat(results).hasSize(2);
		Map<String, Map<String, Object>> byRule = results.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("rule"), (row) -> row));
		// Six readings checked: a (20, 40), b (45, 40), c (999, 40).
		assertThat(byRule.get("not-too-warm")).containsEntry("action", "warn")
			.containsEntry("passed", 4L)
			.containsEntry("failed", 2L)
			.containsEntry("first_offset", 0L)
			.containsEntry("last_offset", 2L)
			.containsEntry("source_partition", "0");
		assertThat(byRule.get("value-in-range")).containsEntry("action", "drop")
			.containsEntry("expression", "value BETWEEN -50 AND 150")
			.containsEntry("passed", 5L)
			.containsEntry("failed", 1L);
		long silverVersion = new KernelTableReader(this.root.resolve(SilverTables.READINGS)).snapshot().getVersion();
		assertThat(results).allSatisfy((row) -> assertThat(row.get("silver_version")).isEqualTo(silverVersion));
	}

	@Test
	void failStopsTheInputAtTheRecordAndNothingPastItIsCommitted() {
		AtomicInteger acknowledged = new AtomicInteger();
		Expectation sane = ExpectationParser.parse("sane-temperature", "value < 1000", "fail");
		DeltaSinkTask<TelemetryEvent> task = task(Duration.ofMinutes(10), sane);
		task.assigned(List.of("0"));
		InputBatch poisoned = batch(0,
				List.of(event("ok-0", "s1", T0, 20), event("ok-1", "s1", T0.plusSeconds(1), 21),
						event("bad", "s1", T0.plusSeconds(2), 5000), event("ok-3", "s1", T0.plusSeconds(3), 22)),
				acknowledged);
		assertThatExceptionOfType(ExpectationFailedException.class).isThrownBy(() -> task.accept(poisoned))
			.withMessageContaining("Expectation 'sane-temperature' (action fail) failed for event bad of sensor s1")
			.withMessageContaining("partition 0, offset 2")
			.withMessageContaining("value=5000.0");
		// As the transport drives it: tried again and again, the input held and reported
		// (the streaming health component is DOWN with this failure) until stopped.
		AtomicInteger pauses = new AtomicInteger();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> task.acceptUntilDone(poisoned, (pause) -> {
				if (pauses.incrementAndGet() >= 2) {
					throw new InterruptedException("stopped by the test");
				}
			}))
			.withMessageContaining("Stopped while retrying");
		assertThat(task.status().failing()).isTrue();
		assertThat(task.status().failure())
			.contains("Expectation 'sane-temperature' (action fail) failed for event bad");
		assertThat(this.stopped).hasSize(3).containsOnly("sane-temperature");
		// Stopping re-asserted this thread's interrupt, as it should; the timer's commit
		// runs on another thread, which this one stands in for (an interrupted thread's
		// Parquet write fails with InterruptedIOException).
		assertThat(Thread.interrupted()).as("the stop re-asserted the interrupt").isTrue();
		// A commit on the timer covers what came before it, never the record or after.
		task.flushNow();
		assertThat(acknowledged).as("the batch is never acknowledged").hasValue(0);
		assertThat(task.committedOffsets()).containsEntry("0", 1L);
		assertThat(rows(SilverTables.READINGS)).extracting((row) -> row.get("source_offset"))
			.containsOnly(0L, 1L)
			.hasSize(4);
	}

	/** Silver dead-letters nothing here (Bronze does). */
	static final class NoDeadLetters implements OutputSink {

		@Override
		public void send(List<OutputRecord> records) {
			assertThat(records).isEmpty();
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

}
