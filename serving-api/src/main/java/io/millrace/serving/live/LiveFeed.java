package io.millrace.serving.live;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.serving.alerts.AlertBoard;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the store's changes out to live streams. Plain Java.
 * <p>
 * There are no per-client queues: each stream keeps a cursor, the store-wide sequence
 * number of the last change it passed, and reads the store's change index after it. So
 * the catch-up of a resumed stream and live delivery are one path, and a stream never has
 * a gap: every window changed after its cursor is in the index in its newest version (a
 * window that changed several times meanwhile is sent once, newest). Only eviction can
 * take a change away; a stream resuming from before the store's eviction point is told so
 * with a {@code gap} event first.
 * <p>
 * The consumer thread only sets a flag and wakes the dispatcher thread; the dispatcher
 * hands each stream with something to send to a small pool that writes to the clients, so
 * a slow client holds a pool thread, never the consumer. Every {@code heartbeat} an idle
 * stream gets a comment line, which also finds clients that went away.
 * <p>
 * A stream that asks for alerts also reads the {@link AlertBoard}'s recent list after a
 * second cursor, the board's sequence number of the last alert event it passed. Its event
 * ids then carry both cursors, {@code <epoch>-<aggregate sequence>-<alert sequence>}, so
 * {@code Last-Event-ID} resumes both: every alert state change taken in after it and
 * still in the recent list is sent, in order (each change, not only the newest per
 * alert).
 */
public final class LiveFeed implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LiveFeed.class);

	private final WindowStore store;

	private final AlertBoard alerts;

	private final long heartbeatNanos;

	private final int maxStreams;

	private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger open = new AtomicInteger();

	private final ExecutorService writers;

	private final Thread dispatcher;

	private final AtomicBoolean signalled = new AtomicBoolean();

	private final String epoch = Long.toString(System.currentTimeMillis(), 36);

	private volatile boolean closed;

	/**
	 * @param store the store whose changes are streamed
	 * @param heartbeat how often an idle stream gets a comment line
	 * @param maxStreams most streams at once
	 * @param threads threads that write to the streams
	 */
	public LiveFeed(WindowStore store, Duration heartbeat, int maxStreams, int threads) {
		this(store, new AlertBoard(Duration.ZERO, 1, java.time.Clock.systemUTC()), heartbeat, maxStreams, threads);
	}

	/**
	 * @param store the store whose changes are streamed
	 * @param alerts the alerts streamed to those who ask for them
	 * @param heartbeat how often an idle stream gets a comment line
	 * @param maxStreams most streams at once
	 * @param threads threads that write to the streams
	 */
	public LiveFeed(WindowStore store, AlertBoard alerts, Duration heartbeat, int maxStreams, int threads) {
		this.store = store;
		this.alerts = alerts;
		this.heartbeatNanos = heartbeat.toNanos();
		this.maxStreams = maxStreams;
		AtomicInteger count = new AtomicInteger();
		ThreadFactory daemons = (task) -> {
			Thread thread = new Thread(task, "live-feed-writer-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.writers = Executors.newFixedThreadPool(threads, daemons);
		this.dispatcher = new Thread(this::dispatch, "live-feed-dispatcher");
		this.dispatcher.setDaemon(true);
		this.dispatcher.start();
		store.onChange(this::signal);
		alerts.onChange(this::signal);
	}

	/** Something changed: wake the dispatcher (called on the store's writer thread). */
	void signal() {
		if (this.signalled.compareAndSet(false, true)) {
			LockSupport.unpark(this.dispatcher);
		}
	}

	/**
	 * @return this feed's epoch: event ids of another epoch (another instance, or before
	 * a restart) cannot be resumed from
	 */
	public String epoch() {
		return this.epoch;
	}

	/**
	 * @param sequence a store sequence number
	 * @return the event id of the change with it
	 */
	public String eventId(long sequence) {
		return this.epoch + "-" + sequence;
	}

	/**
	 * Open a stream.
	 * @param filter which changes it wants
	 * @param lastEventId the {@code Last-Event-ID} to resume after, or {@code null} for
	 * changes from now on
	 * @param sink where its events go
	 * @return the subscription
	 * @throws TooManyStreamsException when {@code maxStreams} are open
	 * @throws IllegalArgumentException when {@code lastEventId} is not an event id
	 */
	public Subscription subscribe(Filter filter, String lastEventId, Sink sink) {
		Resume resume = resume(lastEventId);
		if (this.open.incrementAndGet() > this.maxStreams) {
			this.open.decrementAndGet();
			throw new TooManyStreamsException(this.maxStreams);
		}
		Subscription subscription = new Subscription(filter, resume, sink);
		this.subscriptions.add(subscription);
		subscription.schedule();
		return subscription;
	}

	private Resume resume(String lastEventId) {
		long storeNow = this.store.lastSequence();
		long alertsNow = this.alerts.lastSequence();
		if (lastEventId == null || lastEventId.isBlank()) {
			return new Resume(storeNow, alertsNow, null);
		}
		String id = lastEventId.trim();
		String[] parts = id.split("-", -1);
		String epoch = (parts.length >= 2) ? parts[0] : null;
		if (parts.length > 3) {
			throw notAnEventId(lastEventId);
		}
		long sequence = sequence(parts[(parts.length >= 2) ? 1 : 0], lastEventId);
		// An id without an alert cursor comes from a stream without alerts: alerts from
		// now.
		long alertSequence = (parts.length == 3) ? sequence(parts[2], lastEventId) : alertsNow;
		if (epoch != null && !epoch.equals(this.epoch)) {
			return new Resume(storeNow, alertsNow, "another-instance");
		}
		if (sequence > storeNow || alertSequence > alertsNow) {
			return new Resume(storeNow, alertsNow, "unknown-event-id");
		}
		boolean evicted = sequence < this.store.evictedThrough() || alertSequence < this.alerts.evictedThrough();
		return new Resume(sequence, alertSequence, evicted ? "evicted" : null);
	}

	private static long sequence(String text, String lastEventId) {
		try {
			long sequence = Long.parseLong(text);
			if (sequence >= 0) {
				return sequence;
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw notAnEventId(lastEventId);
	}

	private static IllegalArgumentException notAnEventId(String lastEventId) {
		return new IllegalArgumentException("'" + lastEventId + "' is not an event id of this stream");
	}

	/**
	 * @return streams open now
	 */
	public int openStreams() {
		return this.open.get();
	}

	private void dispatch() {
		long lastBeat = System.nanoTime();
		while (!this.closed) {
			LockSupport.parkNanos(this, Math.max(1, Math.min(this.heartbeatNanos, TimeUnit.SECONDS.toNanos(1))));
			boolean changed = this.signalled.getAndSet(false);
			boolean beat = System.nanoTime() - lastBeat >= this.heartbeatNanos;
			if (beat) {
				lastBeat = System.nanoTime();
			}
			if (changed || beat) {
				for (Subscription subscription : this.subscriptions) {
					subscription.schedule();
				}
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		LockSupport.unpark(this.dispatcher);
		for (Subscription subscription : this.subscriptions) {
			subscription.close();
		}
		this.writers.shutdownNow();
	}

	private record Resume(long after, long alertsAfter, String gap) {
	}

	/**
	 * Which changes a stream wants.
	 *
	 * @param sensors sensor ids, empty for all (aggregates and alerts)
	 * @param metrics metric names, empty for all (aggregates)
	 * @param kinds window kinds, empty for all (aggregates)
	 * @param finalOnly only final results (aggregates)
	 * @param aggregates whether it wants window aggregates
	 * @param alerts whether it wants alert events
	 */
	public record Filter(Set<String> sensors, Set<String> metrics, Set<String> kinds, boolean finalOnly,
			boolean aggregates, boolean alerts) {

		/**
		 * Aggregates only.
		 * @param sensors sensor ids, empty for all
		 * @param metrics metric names, empty for all
		 * @param kinds window kinds, empty for all
		 * @param finalOnly only final results
		 */
		public Filter(Set<String> sensors, Set<String> metrics, Set<String> kinds, boolean finalOnly) {
			this(sensors, metrics, kinds, finalOnly, true, false);
		}

		boolean matches(AlertEvent alert) {
			return this.sensors.isEmpty() || this.sensors.contains(alert.sensorId());
		}

		boolean matches(StoredWindow window) {
			return (this.sensors.isEmpty() || this.sensors.contains(window.series().sensorId()))
					&& (this.metrics.isEmpty() || this.metrics.contains(window.series().key().metric()))
					&& (this.kinds.isEmpty() || this.kinds.contains(window.series().key().kind()))
					&& (!this.finalOnly || window.isFinal());
		}

	}

	/** Where one stream's events go; called on one writer thread at a time. */
	public interface Sink {

		/**
		 * @param id the event id
		 * @param aggregate the window's newest version
		 * @throws IOException when the client is gone
		 */
		void aggregate(String id, WindowAggregate aggregate) throws IOException;

		/**
		 * A stored version of a window; by default sent as
		 * {@link StoredWindow#toAggregate()}. A sink that writes JSON may share the text
		 * of one version among streams instead.
		 * @param id the event id
		 * @param window the window's newest version
		 * @throws IOException when the client is gone
		 */
		default void aggregate(String id, StoredWindow window) throws IOException {
			aggregate(id, window.toAggregate());
		}

		/**
		 * @param id the event id
		 * @param alert an alert event taken in
		 * @throws IOException when the client is gone
		 */
		void alert(String id, AlertEvent alert) throws IOException;

		/**
		 * The stream could not resume exactly where asked: changes may be missing before
		 * the events that follow.
		 * @param reason {@code evicted}, {@code another-instance} or
		 * {@code unknown-event-id}
		 * @param lastEventId the id the stream resumes from now
		 * @throws IOException when the client is gone
		 */
		void gap(String reason, String lastEventId) throws IOException;

		/**
		 * @throws IOException when the client is gone
		 */
		void heartbeat() throws IOException;

		/** The stream is over (called once). */
		void close();

	}

	/** Too many streams are open. */
	public static final class TooManyStreamsException extends RuntimeException {

		TooManyStreamsException(int max) {
			super(max + " streams are open, the most this instance serves (millrace.serving.live.max-clients)");
		}

	}

	/** One open stream. */
	public final class Subscription {

		private final Filter filter;

		private final Sink sink;

		private final AtomicBoolean scheduled = new AtomicBoolean();

		private final AtomicBoolean ended = new AtomicBoolean();

		private String gap;

		private long cursor;

		private long alertCursor;

		private long lastWrite = System.nanoTime();

		Subscription(Filter filter, Resume resume, Sink sink) {
			this.filter = filter;
			this.sink = sink;
			this.cursor = resume.after();
			this.alertCursor = resume.alertsAfter();
			this.gap = resume.gap();
		}

		void schedule() {
			if (!this.ended.get() && this.scheduled.compareAndSet(false, true)) {
				try {
					LiveFeed.this.writers.execute(this::drain);
				}
				catch (RuntimeException ex) {
					// shut down
					this.scheduled.set(false);
				}
			}
		}

		private void drain() {
			try {
				if (this.gap != null) {
					this.sink.gap(this.gap, currentId());
					this.gap = null;
					this.lastWrite = System.nanoTime();
				}
				if (this.filter.aggregates()) {
					for (StoredWindow window : LiveFeed.this.store.changedAfter(this.cursor)) {
						if (this.ended.get()) {
							return;
						}
						if (window.sequence() <= this.cursor) {
							continue;
						}
						this.cursor = window.sequence();
						if (this.filter.matches(window)) {
							this.sink.aggregate(currentId(), window);
							this.lastWrite = System.nanoTime();
						}
					}
				}
				else {
					// Nothing of the store is sent; the id still says how far it is.
					this.cursor = Math.max(this.cursor, LiveFeed.this.store.lastSequence());
				}
				if (this.filter.alerts()) {
					for (AlertBoard.Entry entry : LiveFeed.this.alerts.after(this.alertCursor)) {
						if (this.ended.get()) {
							return;
						}
						this.alertCursor = entry.sequence();
						if (this.filter.matches(entry.event())) {
							this.sink.alert(currentId(), entry.event());
							this.lastWrite = System.nanoTime();
						}
					}
				}
				if (System.nanoTime() - this.lastWrite >= LiveFeed.this.heartbeatNanos) {
					this.sink.heartbeat();
					this.lastWrite = System.nanoTime();
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Live stream closed: {}", ex.toString());
				close();
				return;
			}
			finally {
				this.scheduled.set(false);
			}
			if ((this.filter.aggregates() && !LiveFeed.this.store.changedAfter(this.cursor).isEmpty())
					|| (this.filter.alerts() && LiveFeed.this.alerts.lastSequence() > this.alertCursor)) {
				schedule();
			}
		}

		/**
		 * @return the id of where this stream is: both cursors when it streams alerts
		 */
		private String currentId() {
			return this.filter.alerts() ? eventId(this.cursor) + "-" + this.alertCursor : eventId(this.cursor);
		}

		/** End the stream (idempotent). */
		public void close() {
			if (this.ended.compareAndSet(false, true)) {
				LiveFeed.this.subscriptions.remove(this);
				LiveFeed.this.open.decrementAndGet();
				this.sink.close();
			}
		}

	}

}
