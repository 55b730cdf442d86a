package io.millrace.alerting.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.millrace.alerting.delivery.AttemptOutcome;
import io.millrace.alerting.delivery.AttemptResult;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.WebhookSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes delivery attempts on a small pool of threads, off the task's thread, and hands
 * their results back through a queue per operator, drained on its task's thread. It keeps
 * no delivery state of its own: what is due, what was tried and what comes next is the
 * outbox's, in the checkpointed operator state. The operator starts at most one attempt
 * per subscription at a time, and attempts never queue for a thread (one is started when
 * none is free), so a slow or failing receiver holds one thread at most and never delays
 * another subscription's deliveries. A finished attempt wakes its operator's task at once
 * ({@link #channel(Runnable)}), so the next notification of that subscription does not
 * wait for the next timer tick.
 */
final class DeliveryWorker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryWorker.class);

	private final WebhookSender sender;

	private final ExecutorService pool;

	/**
	 * @param sender makes one signed attempt
	 * @param threads threads kept when idle; more are started while more attempts are in
	 * flight (at most one per subscription and input), and stop after a minute idle
	 */
	DeliveryWorker(WebhookSender sender, int threads) {
		this.sender = sender;
		AtomicInteger count = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(threads, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "webhook-delivery-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * A channel of its own for one operator: attempts share the threads, results come
	 * back only to the operator that submitted them.
	 * @param onResult called on the attempt's thread after each result is queued, to wake
	 * the task that drains them
	 * @return the channel
	 */
	AlertingOperator.Attempts channel(Runnable onResult) {
		return new Channel(onResult);
	}

	@Override
	public void close() throws InterruptedException {
		this.pool.shutdownNow();
		this.pool.awaitTermination(5, TimeUnit.SECONDS);
		this.sender.close();
	}

	/**
	 * The result of one attempt.
	 *
	 * @param partition the input partition of the entry
	 * @param entryKey the entry
	 * @param subscriptionId its subscription
	 * @param attempt how it went
	 * @param latencyMillis how long it took
	 */
	record Result(String partition, String entryKey, String subscriptionId, AttemptResult attempt, long latencyMillis) {
	}

	private final class Channel implements AlertingOperator.Attempts {

		private final Queue<Result> results = new ConcurrentLinkedQueue<>();

		private final Runnable onResult;

		Channel(Runnable onResult) {
			this.onResult = onResult;
		}

		@Override
		public void submit(String partition, String entryKey, String subscriptionId, WebhookRequest request) {
			DeliveryWorker.this.pool.execute(() -> {
				AttemptResult result;
				long started = System.nanoTime();
				try {
					result = DeliveryWorker.this.sender.send(request);
				}
				catch (RuntimeException ex) {
					logger.error("Delivery attempt of {} to {} failed unexpectedly; retried", request.notificationId(),
							subscriptionId, ex);
					result = new AttemptResult(AttemptOutcome.RETRY, 0, null, ex.toString());
				}
				long latencyMillis = (System.nanoTime() - started) / 1_000_000;
				this.results.add(new Result(partition, entryKey, subscriptionId, result, latencyMillis));
				this.onResult.run();
			});
		}

		@Override
		public List<Result> drain() {
			List<Result> drained = new ArrayList<>();
			Result result;
			while ((result = this.results.poll()) != null) {
				drained.add(result);
			}
			return drained;
		}

	}

}
