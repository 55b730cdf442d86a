package io.millrace.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.millrace.runtime.operator.OutputRecord;
import io.millrace.runtime.task.OutputSink;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.function.StreamBridge;

/**
 * Sends pending records to their output bindings without waiting for each, and tells when
 * everything sent so far has been acknowledged by the broker.
 * <p>
 * A binder adapter may give a destination a direct sender that returns the send's future
 * (the Kafka binder's own producer, see {@link RuntimeBinderHooks}): the records are
 * already bytes with their key and headers, and going through the message channel cost
 * about fifty microseconds per record. Other destinations go through
 * {@link StreamBridge}; a binder that sends synchronously reports no futures, and then a
 * returned send is a delivered one.
 * <p>
 * Acknowledgements are tracked per task: a service with several tasks gives each its own
 * {@link #forTask()} sink, so one task's checkpoint neither waits for nor vouches for
 * another's records.
 */
public final class BindingOutputSink implements OutputSink {

	/** The task sink sending on this thread, for futures reported through the bridge. */
	private static final ThreadLocal<TaskSink> SENDING = new ThreadLocal<>();

	/**
	 * Looked up on first use: the binders are built after this (and customized with it).
	 */
	private final ObjectProvider<StreamBridge> bridge;

	private final BindingServiceProperties bindings;

	private final Map<String, Function<OutputRecord, CompletableFuture<?>>> directByDestination = new ConcurrentHashMap<>();

	/** Resolved once per binding: the lookup is on the path of every record. */
	private final Map<String, String> destinationByBinding = new ConcurrentHashMap<>();

	/** The tracking of a service with one task, which uses this sink itself. */
	private final TaskSink own = new TaskSink();

	public BindingOutputSink(ObjectProvider<StreamBridge> bridge, BindingServiceProperties bindings) {
		this.bridge = bridge;
		this.bindings = bindings;
	}

	/**
	 * A sink for one more task: the same bindings, its own acknowledgements.
	 * @return the sink
	 */
	public OutputSink forTask() {
		return new TaskSink();
	}

	/**
	 * Called by a binder adapter with the future of every send through the bridge, on the
	 * thread that sent.
	 */
	public void track(CompletableFuture<?> future) {
		TaskSink sending = SENDING.get();
		((sending != null) ? sending : this.own).inFlight.add(future);
	}

	/** Called by a binder adapter for each destination it can send to directly. */
	public void sendDirectly(String destination, Function<OutputRecord, CompletableFuture<?>> sender) {
		this.directByDestination.put(destination, sender);
	}

	@Override
	public void send(List<OutputRecord> records) {
		this.own.send(records);
	}

	@Override
	public Delivery awaitDelivered(Duration timeout) {
		return this.own.awaitDelivered(timeout);
	}

	@Override
	public int unconfirmed() {
		return this.own.unconfirmed();
	}

	/** The records one task sent, and their acknowledgements. */
	private final class TaskSink implements OutputSink {

		private final ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();

		/** What was sent and is not confirmed yet, to send again if delivery fails. */
		private final List<OutputRecord> unconfirmed = new ArrayList<>();

		@Override
		public void send(List<OutputRecord> records) {
			SENDING.set(this);
			try {
				for (OutputRecord record : records) {
					Function<OutputRecord, CompletableFuture<?>> direct = BindingOutputSink.this.directByDestination
						.get(BindingOutputSink.this.destinationByBinding.computeIfAbsent(record.output(),
								BindingOutputSink.this.bindings::getBindingDestination));
					if (direct != null) {
						this.inFlight.add(direct.apply(record));
					}
					else if (!BindingOutputSink.this.bridge.getObject()
						.send(record.output(), OutputMessages.toMessage(record))) {
						throw new IllegalStateException(
								"Output binding '" + record.output() + "' did not accept the record");
					}
					this.unconfirmed.add(record);
				}
			}
			finally {
				SENDING.remove();
			}
		}

		/**
		 * Wait until everything sent so far is acknowledged.
		 * @param timeout how long to wait
		 * @return {@link Delivery#DELIVERED}, {@link Delivery#PENDING} when the timeout
		 * passed first, or {@link Delivery#FAILED} when a send failed; the unconfirmed
		 * records have then been sent again
		 */
		@Override
		public Delivery awaitDelivered(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			boolean failed = false;
			CompletableFuture<?> future;
			while ((future = this.inFlight.peek()) != null) {
				try {
					future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					return Delivery.PENDING;
				}
				catch (ExecutionException ex) {
					failed = true;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return Delivery.PENDING;
				}
				this.inFlight.poll();
			}
			if (failed) {
				List<OutputRecord> again = new ArrayList<>(this.unconfirmed);
				this.unconfirmed.clear();
				send(again);
				return Delivery.FAILED;
			}
			this.unconfirmed.clear();
			return Delivery.DELIVERED;
		}

		@Override
		public int unconfirmed() {
			return this.unconfirmed.size();
		}

	}

}
