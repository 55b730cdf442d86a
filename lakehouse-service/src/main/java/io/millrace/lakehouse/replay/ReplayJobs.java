package io.millrace.lakehouse.replay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.millrace.lakehouse.replay.BronzeReplaySource.ReplayEvent;
import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.OutputSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Runs replays in the background, at most {@code max-concurrent} at once: each counts the
 * selected Bronze rows (the total), then publishes them in batches, paced by a token
 * bucket at the job's rate, and waits for the broker's acknowledgements after each batch
 * before going on. Each record keeps its event's {@code eventId} and is keyed by its
 * {@code sensorId}; a header {@code x-millrace-replay-id} names the replay.
 */
final class ReplayJobs implements DisposableBean {

	static final String REPLAY_HEADER = "x-millrace-replay-id";

	private static final Logger logger = LoggerFactory.getLogger(ReplayJobs.class);

	private final BronzeReplaySource source;

	private final java.util.function.Supplier<OutputSink> sinks;

	private final ReplayProperties properties;

	private final ReplayMetrics metrics;

	private final Clock clock;

	private final ExecutorService executor;

	private final Map<String, ReplayJob> jobs = new ConcurrentHashMap<>();

	ReplayJobs(BronzeReplaySource source, java.util.function.Supplier<OutputSink> sinks, ReplayProperties properties,
			ReplayMetrics metrics, Clock clock) {
		this.source = source;
		this.sinks = sinks;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
		this.executor = Executors.newFixedThreadPool(properties.maxConcurrent(), (runnable) -> {
			Thread thread = new Thread(runnable, "lakehouse-replay");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Queues a replay of a checked request.
	 * @return the job
	 */
	ReplayJob start(ReplayRequest request, String targetTopic, int ratePerSecond) {
		forgetOldFinished();
		ReplayJob job = new ReplayJob(UUID.randomUUID().toString(), request.from(), request.to(),
				(request.sensors() != null) ? request.sensors() : List.of(), targetTopic, ratePerSecond,
				this.clock.instant());
		this.jobs.put(job.id(), job);
		job.execution(this.executor.submit(() -> run(job)));
		logger.info("Replay {} queued: {} to {}, sensors {}, to {} at {}/s", job.id(), job.from(), job.to(),
				job.sensors().isEmpty() ? "all" : job.sensors(), targetTopic, ratePerSecond);
		return job;
	}

	Optional<ReplayJob> get(String id) {
		return Optional.ofNullable(this.jobs.get(id));
	}

	/** Newest first. */
	List<ReplayJob> list() {
		List<ReplayJob> all = new ArrayList<>(this.jobs.values());
		all.sort(Comparator.comparing(ReplayJob::createdAt).reversed());
		return all;
	}

	boolean cancel(ReplayJob job) {
		return job.cancel(this.clock.instant());
	}

	private void run(ReplayJob job) {
		if (job.cancelRequested()) {
			return;
		}
		long version = this.source.latestVersion();
		job.started(version, this.clock.instant());
		SensorSelection sensors = new SensorSelection(job.sensors());
		OutputSink sink = this.sinks.get();
		TokenBucket bucket = new TokenBucket(job.ratePerSecond());
		try {
			job.counted(this.source.count(version, job.from(), job.to(), sensors));
			// At most a tenth of a second's worth at a time: a batch leaves in one burst.
			int batchSize = Math.max(1, Math.min(this.properties.batchSize(), job.ratePerSecond() / 10));
			this.source.forEachPartition(version, job.from(), job.to(), sensors, (events) -> {
				for (int start = 0; start < events.size(); start += batchSize) {
					List<ReplayEvent> batch = events.subList(start, Math.min(events.size(), start + batchSize));
					publish(job, sink, bucket, batch);
				}
			});
			job.finished(ReplayJob.State.SUCCEEDED, this.clock.instant());
			logger.info("Replay {} done: {} events to {}", job.id(), job.published(), job.targetTopic());
		}
		catch (RuntimeException ex) {
			if (job.cancelRequested() || Thread.currentThread().isInterrupted()) {
				job.finished(ReplayJob.State.CANCELLED, this.clock.instant());
				logger.info("Replay {} cancelled after {} events", job.id(), job.published());
			}
			else {
				job.addError(describe(ex));
				job.finished(ReplayJob.State.FAILED, this.clock.instant());
				logger.warn("Replay {} failed after {} events", job.id(), job.published(), ex);
			}
		}
		finally {
			this.metrics.finished(job);
		}
	}

	private void publish(ReplayJob job, OutputSink sink, TokenBucket bucket, List<ReplayEvent> batch) {
		if (job.cancelRequested()) {
			throw new Cancelled();
		}
		try {
			bucket.acquire(batch.size());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Cancelled();
		}
		List<OutputRecord> records = new ArrayList<>(batch.size());
		for (ReplayEvent event : batch) {
			records.add(new OutputRecord(job.targetTopic(), event.sensorId(), Map.of(REPLAY_HEADER, job.id()),
					event.payload()));
		}
		sink.send(records);
		awaitDelivered(job, sink);
		job.addPublished(batch.size());
		this.metrics.published(job.targetTopic(), batch.size());
	}

	/** A failed send is sent again by the sink; a replay gives up after the timeout. */
	private void awaitDelivered(ReplayJob job, OutputSink sink) {
		long deadline = System.nanoTime() + this.properties.deliveryTimeout().toNanos();
		while (true) {
			OutputSink.Delivery delivery = sink.awaitDelivered(Duration.ofMillis(500));
			if (delivery == OutputSink.Delivery.DELIVERED) {
				return;
			}
			if (job.cancelRequested()) {
				throw new Cancelled();
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The broker did not acknowledge " + sink.unconfirmed() + " events for "
						+ job.targetTopic() + " within " + this.properties.deliveryTimeout());
			}
		}
	}

	private static String describe(Throwable ex) {
		StringBuilder message = new StringBuilder(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		for (Throwable cause = ex.getCause(); cause != null && cause != ex; cause = cause.getCause()) {
			message.append("; caused by ")
				.append(cause.getClass().getSimpleName())
				.append(": ")
				.append(cause.getMessage());
		}
		return message.toString();
	}

	/** Keeps the newest {@code keep-finished} finished replays. */
	private void forgetOldFinished() {
		List<ReplayJob> finished = list().stream().filter((job) -> job.state().finished()).toList();
		for (int i = this.properties.keepFinished(); i < finished.size(); i++) {
			this.jobs.remove(finished.get(i).id());
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.jobs.values().forEach((job) -> job.cancel(this.clock.instant()));
		this.executor.shutdownNow();
		this.executor.awaitTermination(10, TimeUnit.SECONDS);
	}

	/** Thrown out of the publishing loop when the replay is cancelled. */
	private static final class Cancelled extends RuntimeException {

		Cancelled() {
			super("cancelled", null, false, false);
		}

	}

}
