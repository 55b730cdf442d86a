package io.millrace.lakehouse.powerbi;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.millrace.model.aggregate.WindowAggregate;
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
 * Pushes the final aggregates of {@code telemetry-aggregates} to Power BI, reading the
 * topic in a consumer group of its own. A batch is acknowledged only after each of its
 * finals was either taken by Power BI or dead-lettered (and the dead letter acknowledged
 * by the broker), so a crash loses nothing; it may push a batch's rows again (at least
 * once: push datasets have no key to upsert on). Records that are not finals, or not
 * aggregates, are skipped: the Gold sink dead-letters the undecodable ones already.
 */
public final class PowerBiPushTask implements InputTask {

	/** A row with a string value over Power BI's 4,000 characters. */
	static final String VALUE_TOO_LONG = "powerbi-value-too-long";

	private static final Logger logger = LoggerFactory.getLogger(PowerBiPushTask.class);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

	private final String source;

	private final Decoder<WindowAggregate> decoder;

	private final RowPusher pusher;

	private final OutputSink sink;

	private final Duration deliveryTimeout;

	private final PushListener listener;

	private final Clock clock;

	private final Map<String, Long> nextOffsets = new TreeMap<>();

	private volatile TaskStatus status = TaskStatus.INITIAL;

	private long lastBatchAt;

	private long lastBatchMillis;

	PowerBiPushTask(String source, Decoder<WindowAggregate> decoder, RowPusher pusher, OutputSink sink,
			Duration deliveryTimeout, PushListener listener, Clock clock) {
		this.source = source;
		this.decoder = decoder;
		this.pusher = pusher;
		this.sink = sink;
		this.deliveryTimeout = deliveryTimeout;
		this.listener = listener;
		this.clock = clock;
	}

	@Override
	public synchronized void acceptUntilDone(InputBatch batch, StreamTask.Pause pause) {
		long started = System.nanoTime();
		List<RowPusher.Row<Source>> rows = new ArrayList<>();
		List<OutputRecord> deadLetters = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			Source record = new Source(batch.payloads().get(i), batch.partitions().get(i), batch.offsets().get(i));
			this.nextOffsets.put(record.partition(), record.offset() + 1);
			Decoded<WindowAggregate> decoded = this.decoder.decode(record.payload());
			if (!decoded.isValid()) {
				this.listener.skipped("undecodable");
				continue;
			}
			if (!decoded.value().isFinal()) {
				this.listener.skipped("not-final");
				continue;
			}
			Map<String, Object> row = PowerBiRows.of(decoded.value(), record.partition(), record.offset());
			String tooLong = PowerBiRows.tooLong(row);
			if (tooLong != null) {
				deadLetters.add(deadLetter(record, VALUE_TOO_LONG,
						"column " + tooLong + " is over Power BI's " + PowerBiRows.MAX_STRING_CHARS + " characters"));
				this.listener.deadLettered(VALUE_TOO_LONG, 1);
				continue;
			}
			rows.add(new RowPusher.Row<>(record, row));
		}
		try {
			// Pushed once: a push cannot be taken back, so a failure after it never
			// pushes the batch again in this process; only the dead letters are retried.
			for (RowPusher.Undelivered<Source> undelivered : this.pusher.push(rows)) {
				for (RowPusher.Row<Source> row : undelivered.rows()) {
					deadLetters.add(deadLetter(row.source(), undelivered.reason(), undelivered.detail()));
				}
			}
			deliver(deadLetters, pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Stopped while pushing a batch of " + this.source + " to Power BI", ex);
		}
		batch.commit().run();
		this.lastBatchAt = this.clock.millis();
		this.lastBatchMillis = (System.nanoTime() - started) / 1_000_000;
		publish(null, 0);
	}

	private void deliver(List<OutputRecord> deadLetters, StreamTask.Pause pause) throws InterruptedException {
		if (deadLetters.isEmpty()) {
			return;
		}
		this.sink.send(deadLetters);
		long failingSince = 0;
		for (int attempt = 1;; attempt++) {
			OutputSink.Delivery delivery = this.sink.awaitDelivered(this.deliveryTimeout);
			if (delivery == OutputSink.Delivery.DELIVERED) {
				return;
			}
			if (failingSince == 0) {
				failingSince = this.clock.millis();
			}
			// FAILED has sent them again already; PENDING goes on waiting.
			logger.warn("{} dead letters of Power BI rows are {} (attempt {}); the input waits", deadLetters.size(),
					delivery.name().toLowerCase(), attempt);
			publish("dead letters " + delivery.name().toLowerCase(), failingSince);
			Duration doubled = Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
			pause.pause((doubled.compareTo(MAX_PAUSE) < 0) ? doubled : MAX_PAUSE);
		}
	}

	private OutputRecord deadLetter(Source record, String reason, String detail) {
		return DeadLetters.of(record.payload(), reason, detail, this.source, record.partition(), record.offset());
	}

	private void publish(String failure, long failingSince) {
		this.status = new TaskStatus(Map.copyOf(this.nextOffsets), 0, this.lastBatchAt, this.lastBatchMillis, failure,
				failingSince);
	}

	@Override
	public void tick() {
		// Nothing is held between batches.
	}

	@Override
	public synchronized Map<String, Long> assigned(List<String> partitions) {
		// The consumer group's committed offsets are the position.
		return Map.of();
	}

	@Override
	public synchronized void revoked(List<String> partitions) {
		partitions.forEach(this.nextOffsets::remove);
		publish(null, 0);
	}

	@Override
	public TaskStatus status() {
		return this.status;
	}

	/** A consumed record, kept to dead-letter it as it came. */
	record Source(byte[] payload, String partition, long offset) {
	}

}
