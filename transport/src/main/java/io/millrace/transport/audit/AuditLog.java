package io.millrace.transport.audit;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import io.millrace.model.audit.AuditEntry;

/**
 * The audit trail as read back from the {@code audit} topic, newest last, bounded: what
 * {@code GET /api/v1/audit} answers from. An entry written twice (a retry after a lost
 * acknowledgement) is kept once.
 */
public final class AuditLog {

	private final int maxEntries;

	private final Deque<AuditEntry> entries = new ArrayDeque<>();

	private final Set<String> ids = new HashSet<>();

	/**
	 * @param maxEntries entries kept; the oldest go first
	 */
	public AuditLog(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/**
	 * @param entry an entry read from the topic
	 */
	public synchronized void add(AuditEntry entry) {
		if (!this.ids.add(entry.id())) {
			return;
		}
		this.entries.addLast(entry);
		if (this.entries.size() > this.maxEntries) {
			this.ids.remove(this.entries.removeFirst().id());
		}
	}

	/**
	 * @param filter which entries
	 * @return the matching entries, newest first, at most the filter's limit
	 */
	public synchronized List<AuditEntry> find(Filter filter) {
		List<AuditEntry> found = new ArrayList<>();
		Iterator<AuditEntry> newestFirst = this.entries.descendingIterator();
		while (newestFirst.hasNext() && found.size() < filter.limit()) {
			AuditEntry entry = newestFirst.next();
			if (filter.matches(entry)) {
				found.add(entry);
			}
		}
		return found;
	}

	/**
	 * What to look for; {@code null} matches anything.
	 *
	 * @param actor the caller's name (key name or client application), or the user
	 * @param action for example {@code rule.updated}
	 * @param resourceType for example {@code rule}
	 * @param resourceId the resource's id
	 * @param from entries at or after
	 * @param to entries before
	 * @param limit at most this many
	 */
	public record Filter(String actor, String action, String resourceType, String resourceId, Instant from, Instant to,
			int limit) {

		boolean matches(AuditEntry entry) {
			return (this.actor == null || this.actor.equals(entry.actor().name())
					|| this.actor.equals(entry.actor().user()))
					&& (this.action == null || this.action.equals(entry.action()))
					&& (this.resourceType == null || this.resourceType.equals(entry.resource().type()))
					&& (this.resourceId == null || this.resourceId.equals(entry.resource().id()))
					&& (this.from == null || !entry.time().isBefore(this.from))
					&& (this.to == null || entry.time().isBefore(this.to));
		}

	}

}
