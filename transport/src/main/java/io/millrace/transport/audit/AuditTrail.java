package io.millrace.transport.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.audit.AuditEntry;
import io.millrace.transport.KeyedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Writes what an admin API changed to the {@code audit} topic (output binding
 * {@value #OUTPUT}, synchronous: a send returns once the broker has the entry). Called
 * after the change is stored, so an entry never describes a change that did not happen.
 * When the broker does not take an entry, the API call still succeeds (the change is
 * made) and the entry waits in memory, retried every few seconds in order, counted by
 * {@code millrace_audit_unpublished} and logged in full at ERROR, so it is in the log
 * even if the process dies before the broker is back.
 */
public final class AuditTrail implements AutoCloseable {

	/** The output binding. */
	public static final String OUTPUT = "audit";

	/** Entries kept for retry while the broker is away; the oldest go first. */
	static final int MAX_UNPUBLISHED = 10_000;

	private final int maxUnpublished;

	private static final Logger logger = LoggerFactory.getLogger(AuditTrail.class);

	private final Predicate<Message<byte[]>> sender;

	private final ObjectMapper json;

	private final String service;

	private final Clock clock;

	private final Deque<AuditEntry> unpublished = new ArrayDeque<>();

	private final ScheduledExecutorService retries;

	private final Counter published;

	private final Counter failures;

	private final Counter dropped;

	/**
	 * @param bridge sends to the {@value #OUTPUT} binding
	 * @param json the API's own mapper, so before and after read as the API shows them
	 * @param service the name entries carry
	 * @param registry for the trail's metrics
	 * @param clock the time entries carry
	 * @param retryInterval how often unpublished entries are tried again
	 */
	public AuditTrail(StreamBridge bridge, ObjectMapper json, String service, MeterRegistry registry, Clock clock,
			Duration retryInterval) {
		this((message) -> bridge.send(OUTPUT, message), json, service, registry, clock, retryInterval, MAX_UNPUBLISHED);
	}

	/**
	 * @param sender sends one message to the topic; {@code true} once the broker has it
	 * @param maxUnpublished entries kept for retry at most
	 */
	AuditTrail(Predicate<Message<byte[]>> sender, ObjectMapper json, String service, MeterRegistry registry,
			Clock clock, Duration retryInterval, int maxUnpublished) {
		this.sender = sender;
		this.maxUnpublished = maxUnpublished;
		this.json = json;
		this.service = service;
		this.clock = clock;
		this.published = Counter.builder("millrace.audit.entries.published")
			.description("Audit entries the broker acknowledged")
			.register(registry);
		this.failures = Counter.builder("millrace.audit.publish.failures")
			.description("Attempts to write an audit entry that the broker did not acknowledge")
			.register(registry);
		this.dropped = Counter.builder("millrace.audit.entries.dropped")
			.description("Unpublished audit entries dropped because too many waited (still in the ERROR log)")
			.register(registry);
		Gauge.builder("millrace.audit.unpublished", this, AuditTrail::unpublishedCount)
			.description("Audit entries waiting for the broker")
			.register(registry);
		this.retries = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "audit-retry");
			thread.setDaemon(true);
			return thread;
		});
		long millis = retryInterval.toMillis();
		this.retries.scheduleWithFixedDelay(this::retry, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Records a change that has been stored.
	 * @param actor who made it
	 * @param action {@code <resource type>.<verb>}
	 * @param resource what it was made to
	 * @param before the resource before, as the API shows it without secrets;
	 * {@code null} for a creation
	 * @param after the resource after; {@code null} for a deletion
	 * @param detail anything else, or {@code null}
	 * @return the entry
	 */
	public AuditEntry record(AuditEntry.Actor actor, String action, AuditEntry.Resource resource, Object before,
			Object after, Object detail) {
		AuditEntry entry = new AuditEntry("au_" + UUID.randomUUID().toString().replace("-", ""), this.clock.instant(),
				this.service, actor, action, resource, tree(before), tree(after), tree(detail));
		synchronized (this.unpublished) {
			// Behind entries still waiting: a resource's history stays in order.
			if (this.unpublished.isEmpty() && send(entry)) {
				return entry;
			}
			keep(entry);
		}
		return entry;
	}

	int unpublishedCount() {
		synchronized (this.unpublished) {
			return this.unpublished.size();
		}
	}

	void retry() {
		synchronized (this.unpublished) {
			while (!this.unpublished.isEmpty() && send(this.unpublished.peekFirst())) {
				this.unpublished.removeFirst();
			}
		}
	}

	private void keep(AuditEntry entry) {
		logger.error("Audit entry not yet written to the audit topic, kept for retry: {}", asJson(entry));
		if (this.unpublished.size() >= this.maxUnpublished) {
			this.unpublished.removeFirst();
			this.dropped.increment();
		}
		this.unpublished.addLast(entry);
	}

	private boolean send(AuditEntry entry) {
		try {
			if (this.sender.test(KeyedMessages.keyedJson(entry, entry.key()))) {
				this.published.increment();
				return true;
			}
			this.failures.increment();
			return false;
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			logger.warn("The audit topic did not take an entry: {}", ex.toString());
			return false;
		}
	}

	private JsonNode tree(Object value) {
		return (value != null) ? this.json.valueToTree(value) : null;
	}

	private String asJson(AuditEntry entry) {
		try {
			return this.json.writeValueAsString(entry);
		}
		catch (JsonProcessingException ex) {
			return entry.toString();
		}
	}

	@Override
	public void close() {
		this.retries.shutdownNow();
		retry();
	}

}
