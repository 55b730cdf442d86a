package io.millrace.alerting.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * per subscription at a time, so a slow or failing receiver holds one thread at most and
 * never delays another subscription's deliveries.
 */
final class DeliveryWorker implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryWorker.class);

	private final WebhookSender sender;

	private final ExecutorService pool;

	/**
	 * @param sender makes one signed attempt
	 * @param threads attempts in flight at once
	 */
	DeliveryWorker(WebhookSender sender, int threads) {
		this.sender = sender;
		AtomicInteger count = new AtomicInteger();
		this.pool = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "webhook-delivery-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * A channel of its own for one operator: attempts share the threads, results come
	 * back only to the operator that submitted them.
	 * @return the channel
	 */
	AlertingOperator.Attempts channel() {
		return new Channel();
	}

	@Override
	public void close() throws InterruptedException {
		this.pool.shutdownNow();
		this.pool.awaitTermination(5, TimeUnit.SECONDS);
	}

	/**
	 * The result of one attempt.
	 *
	 * @param partition the input partition of the entry
	 * @param entryKey the entry
	 * @param subscriptionId its subscription
	 * @param attempt how it went
	 */
	record Result(String partition, String entryKey, String subscriptionId, AttemptResult attempt) {
	}

	private final class Channel implements AlertingOperator.Attempts {

		private final Queue<Result> results = new ConcurrentLinkedQueue<>();

		@Override
		public void submit(String partition, String entryKey, String subscriptionId, WebhookRequest request) {
			DeliveryWorker.this.pool.execute(() -> {
				AttemptResult result;
				try {
					result = DeliveryWorker.this.sender.send(request);
				}
				catch (RuntimeException ex) {
					logger.error("Delivery attempt of {} to {} failed unexpectedly; retried", request.notificationId(),
							subscriptionId, ex);
					result = new AttemptResult(AttemptOutcome.RETRY, 0, null, ex.toString());
				}
				this.results.add(new Result(partition, entryKey, subscriptionId, result));
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
