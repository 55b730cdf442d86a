package io.millrace.alerting.pipeline;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.millrace.runtime.task.StreamTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks a task as soon as a delivery result is waiting for it, instead of at the next
 * timer tick: the result is applied and the subscription's next notification attempted
 * within milliseconds. Requests that come while one is pending are merged into it, so a
 * burst of results costs one tick.
 */
final class TaskWaker implements Runnable, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TaskWaker.class);

	private final AtomicBoolean pending = new AtomicBoolean();

	private final ExecutorService thread;

	private volatile StreamTask<?> task;

	TaskWaker(String name) {
		this.thread = Executors.newSingleThreadExecutor((runnable) -> {
			Thread daemon = new Thread(runnable, name);
			daemon.setDaemon(true);
			return daemon;
		});
	}

	/**
	 * The task to tick; results before it is known wait for the timer.
	 * @param task the task
	 */
	void wakes(StreamTask<?> task) {
		this.task = task;
	}

	@Override
	public void run() {
		StreamTask<?> target = this.task;
		if (target == null || !this.pending.compareAndSet(false, true)) {
			return;
		}
		this.thread.execute(() -> {
			this.pending.set(false);
			try {
				target.tick();
			}
			catch (RuntimeException ex) {
				// The timer ticks it again; nothing is lost by skipping this one.
				logger.warn("Tick after a delivery result failed", ex);
			}
		});
	}

	@Override
	public void close() throws InterruptedException {
		this.thread.shutdownNow();
		this.thread.awaitTermination(5, TimeUnit.SECONDS);
	}

}
