package io.millrace.transport.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.model.audit.AuditEntry;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trail's own promises, with a sender standing in for the binding: an entry is
 * published keyed by its resource; while the topic does not take entries, API calls still
 * return, entries wait in order and go out once it does. (The real binding and broker:
 * {@code AlertingApiIntegrationTests}.)
 */
class AuditTrailTests {

	static final AuditEntry.Actor OPS = new AuditEntry.Actor(AuditEntry.Actor.API_KEY, "ops", null);

	final List<Message<byte[]>> sent = new CopyOnWriteArrayList<>();

	final AtomicBoolean brokerUp = new AtomicBoolean(true);

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final AuditTrail trail = new AuditTrail((message) -> {
		if (!this.brokerUp.get()) {
			return false;
		}
		this.sent.add(message);
		return true;
	}, MillraceJson.mapper(), "alerting-service", this.registry,
			Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC), Duration.ofHours(1), 5);

	@Test
	void aChangeIsPublishedKeyedByItsResourceWithBeforeAndAfter() throws Exception {
		AuditEntry entry = this.trail.record(OPS, "rule.updated", new AuditEntry.Resource("rule", "pump-hot"),
				Map.of("threshold", 80), Map.of("threshold", 85), null);

		assertThat(this.sent).hasSize(1);
		assertThat(new String((byte[]) this.sent.get(0).getHeaders().get("kafka_messageKey"), StandardCharsets.UTF_8))
			.isEqualTo("rule/pump-hot");
		JsonNode published = MillraceJson.mapper().readTree(this.sent.get(0).getPayload());
		assertThat(published.get("id").asText()).isEqualTo(entry.id()).startsWith("au_");
		assertThat(published.get("service").asText()).isEqualTo("alerting-service");
		assertThat(published.get("actor").get("name").asText()).isEqualTo("ops");
		assertThat(published.get("before").get("threshold").asInt()).isEqualTo(80);
		assertThat(published.get("after").get("threshold").asInt()).isEqualTo(85);
		assertThat(published.has("detail")).isFalse();
		assertThat(this.registry.get("millrace.audit.entries.published").counter().count()).isEqualTo(1);
	}

	@Test
	void entriesTheTopicDidNotTakeWaitInOrderAndGoOutWhenItDoes() throws Exception {
		this.brokerUp.set(false);
		this.trail.record(OPS, "rule.created", new AuditEntry.Resource("rule", "r1"), null, Map.of("v", 1), null);
		this.trail.record(OPS, "rule.updated", new AuditEntry.Resource("rule", "r1"), Map.of("v", 1), Map.of("v", 2),
				null);
		this.trail.retry();
		assertThat(this.sent).isEmpty();
		assertThat(this.registry.get("millrace.audit.unpublished").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("millrace.audit.publish.failures").counter().count()).isEqualTo(2);

		this.brokerUp.set(true);
		// A new change waits behind the older ones, so a resource's history stays in
		// order.
		this.trail.record(OPS, "rule.deleted", new AuditEntry.Resource("rule", "r1"), Map.of("v", 2), null, null);
		assertThat(this.sent).isEmpty();
		this.trail.retry();

		assertThat(this.sent).extracting((message) -> MillraceJson.mapper().readTree(message.getPayload()))
			.extracting((tree) -> tree.get("action").asText())
			.containsExactly("rule.created", "rule.updated", "rule.deleted");
		assertThat(this.registry.get("millrace.audit.unpublished").gauge().value()).isZero();
	}

	@Test
	void whenTooManyWaitTheOldestAreDroppedAndCounted() {
		this.brokerUp.set(false);
		for (int i = 0; i < 8; i++) {
			this.trail.record(OPS, "silence.created", new AuditEntry.Resource("silence", "s" + i), null, null, null);
		}
		assertThat(this.trail.unpublishedCount()).isEqualTo(5);
		assertThat(this.registry.get("millrace.audit.entries.dropped").counter().count()).isEqualTo(3);
	}

}
