package io.millrace.transport.audit;

import java.time.Instant;

import io.millrace.model.audit.AuditEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTests {

	static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

	@Test
	void findsNewestFirstByActorActionResourceAndTimeRangeAndKeepsARepeatedEntryOnce() {
		AuditLog log = new AuditLog(100);
		log.add(entry("a1", 0, "ops", null, "rule.created", "rule", "r1"));
		log.add(entry("a2", 1, "portal", "ann@example.com", "rule.updated", "rule", "r1"));
		log.add(entry("a3", 2, "ops", null, "silence.created", "silence", "s1"));
		log.add(entry("a2", 1, "portal", "ann@example.com", "rule.updated", "rule", "r1"));

		assertThat(ids(log, new AuditLog.Filter(null, null, null, null, null, null, 10))).containsExactly("a3", "a2",
				"a1");
		assertThat(ids(log, new AuditLog.Filter("ops", null, null, null, null, null, 10))).containsExactly("a3", "a1");
		assertThat(ids(log, new AuditLog.Filter("ann@example.com", null, null, null, null, null, 10)))
			.containsExactly("a2");
		assertThat(ids(log, new AuditLog.Filter(null, null, "rule", "r1", null, null, 10))).containsExactly("a2", "a1");
		assertThat(ids(log, new AuditLog.Filter(null, "rule.updated", null, null, null, null, 10)))
			.containsExactly("a2");
		assertThat(ids(log, new AuditLog.Filter(null, null, null, null, T0.plusSeconds(1), T0.plusSeconds(2), 10)))
			.containsExactly("a2");
		assertThat(ids(log, new AuditLog.Filter(null, null, null, null, null, null, 2))).containsExactly("a3", "a2");
	}

	@Test
	void keepsTheNewestWhenFull() {
		AuditLog log = new AuditLog(2);
		for (int i = 0; i < 5; i++) {
			log.add(entry("a" + i, i, "ops", null, "rule.created", "rule", "r" + i));
		}
		assertThat(ids(log, new AuditLog.Filter(null, null, null, null, null, null, 10))).containsExactly("a4", "a3");
	}

	private static java.util.List<String> ids(AuditLog log, AuditLog.Filter filter) {
		return log.find(filter).stream().map(AuditEntry::id).toList();
	}

	private static AuditEntry entry(String id, int second, String name, String user, String action, String type,
			String resourceId) {
		return new AuditEntry(id, T0.plusSeconds(second), "alerting-service",
				new AuditEntry.Actor((user != null) ? AuditEntry.Actor.ENTRA_USER : AuditEntry.Actor.API_KEY, name,
						user),
				action, new AuditEntry.Resource(type, resourceId), null, null, null);
	}

}
