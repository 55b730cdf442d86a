package io.millrace.serving.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;

/**
 * What serving knows of alerts, from the {@code alerts} topic. Plain Java.
 * <p>
 * Two views, both bounded: the <em>board</em>, the newest event per fingerprint (is the
 * alert firing or resolved now), and the <em>recent</em> list, every state change taken
 * in, in the order taken in. Each event taken in gets a sequence number, which the live
 * stream uses as its cursor. A resolved alert leaves the board once it is older than the
 * retention; a firing one stays (it still fires), unless the board holds more than
 * {@code maxAlerts}, when the alerts that changed longest ago go first. The recent list
 * keeps events younger than the retention, at most {@code maxAlerts} of them. An event's
 * age is counted from when it changed: {@code endsAt} for a resolved alert,
 * {@code startsAt} for a firing one (when it was taken in, when the event has neither).
 */
public final class AlertBoard {

	private final long retentionMillis;

	private final int maxAlerts;

	private final Clock clock;

	private final Map<String, Entry> board = new LinkedHashMap<>();

	private final ArrayDeque<Entry> recent = new ArrayDeque<>();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private long lastSequence;

	private long evictedThrough;

	/**
	 * @param retention how long a resolved alert and a state change are kept
	 * @param maxAlerts most alerts on the board, and most state changes in the recent
	 * list
	 * @param clock the wall clock retention is counted back from
	 */
	public AlertBoard(Duration retention, int maxAlerts, Clock clock) {
		this.retentionMillis = retention.toMillis();
		this.maxAlerts = maxAlerts;
		this.clock = clock;
	}

	/**
	 * @param listener called (on the consumer's thread) after each event taken in
	 */
	public void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	/**
	 * Take in one event of the {@code alerts} topic.
	 * @param event the event
	 * @return its sequence number
	 */
	public long accept(AlertEvent event) {
		long sequence;
		synchronized (this) {
			sequence = ++this.lastSequence;
			Entry entry = new Entry(sequence, event, changedAt(event));
			String fingerprint = fingerprint(event);
			// Removed first so the map's order stays the order of the last change.
			this.board.remove(fingerprint);
			this.board.put(fingerprint, entry);
			this.recent.addLast(entry);
			evict();
		}
		this.listeners.forEach(Runnable::run);
		return sequence;
	}

	/**
	 * @param matching which alerts
	 * @param limit at most this many
	 * @return the newest event of each matching alert on the board, the latest change
	 * first
	 */
	public synchronized List<AlertEvent> board(Predicate<AlertEvent> matching, int limit) {
		evict();
		List<AlertEvent> all = new ArrayList<>();
		for (Entry entry : this.board.values()) {
			all.add(entry.event());
		}
		return newestFirst(all, matching, limit);
	}

	/**
	 * @param matching which events
	 * @param limit at most this many
	 * @return matching state changes of the recent list, the latest first
	 */
	public synchronized List<AlertEvent> recent(Predicate<AlertEvent> matching, int limit) {
		evict();
		List<AlertEvent> all = new ArrayList<>(this.recent.size());
		for (Entry entry : this.recent) {
			all.add(entry.event());
		}
		return newestFirst(all, matching, limit);
	}

	/**
	 * @param sequence a sequence number
	 * @return the state changes of the recent list taken in after it, in order
	 */
	public synchronized List<Entry> after(long sequence) {
		if (sequence >= this.lastSequence) {
			return List.of();
		}
		List<Entry> after = new ArrayList<>();
		Iterator<Entry> newestFirst = this.recent.descendingIterator();
		while (newestFirst.hasNext()) {
			Entry entry = newestFirst.next();
			if (entry.sequence() <= sequence) {
				break;
			}
			after.add(entry);
		}
		java.util.Collections.reverse(after);
		return after;
	}

	/**
	 * @return the sequence number of the latest event taken in, 0 before the first
	 */
	public synchronized long lastSequence() {
		return this.lastSequence;
	}

	/**
	 * @return the highest sequence number no longer in the recent list: a stream resuming
	 * from before it has missed changes
	 */
	public synchronized long evictedThrough() {
		return this.evictedThrough;
	}

	/**
	 * @return alerts on the board that fire now
	 */
	public synchronized int firingCount() {
		int firing = 0;
		for (Entry entry : this.board.values()) {
			if (entry.event().status() == AlertStatus.FIRING) {
				firing++;
			}
		}
		return firing;
	}

	/**
	 * @return alerts on the board, firing or resolved
	 */
	public synchronized int size() {
		return this.board.size();
	}

	private static List<AlertEvent> newestFirst(List<AlertEvent> oldestFirst, Predicate<AlertEvent> matching,
			int limit) {
		List<AlertEvent> page = new ArrayList<>(Math.min(limit, oldestFirst.size()));
		for (int i = oldestFirst.size() - 1; i >= 0 && page.size() < limit; i--) {
			AlertEvent event = oldestFirst.get(i);
			if (matching.test(event)) {
				page.add(event);
			}
		}
		return page;
	}

	private void evict() {
		long cutoff = this.clock.millis() - this.retentionMillis;
		while (!this.recent.isEmpty()
				&& (this.recent.size() > this.maxAlerts || this.recent.peekFirst().changedAtMillis() < cutoff)) {
			this.evictedThrough = this.recent.removeFirst().sequence();
		}
		Iterator<Entry> oldestFirst = this.board.values().iterator();
		while (oldestFirst.hasNext()) {
			Entry entry = oldestFirst.next();
			if (this.board.size() > this.maxAlerts) {
				oldestFirst.remove();
			}
			else if (entry.event().status() == AlertStatus.RESOLVED && entry.changedAtMillis() < cutoff) {
				oldestFirst.remove();
			}
		}
	}

	private long changedAt(AlertEvent event) {
		Instant at = (event.status() == AlertStatus.RESOLVED && event.endsAt() != null) ? event.endsAt()
				: event.startsAt();
		return (at != null) ? at.toEpochMilli() : this.clock.millis();
	}

	private static String fingerprint(AlertEvent event) {
		return (event.fingerprint() != null) ? event.fingerprint()
				: event.ruleId() + "/" + event.sensorId() + "/" + event.metric();
	}

	/**
	 * One state change taken in.
	 *
	 * @param sequence its sequence number
	 * @param event the event
	 * @param changedAtMillis when the alert changed (epoch ms)
	 */
	public record Entry(long sequence, AlertEvent event, long changedAtMillis) {
	}

}
