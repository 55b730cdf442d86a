package io.millrace.alerting.audit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.model.audit.AuditEntry;
import io.millrace.model.json.MillraceJson;
import io.millrace.transport.audit.AuditLog;
import io.millrace.transport.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The audit trail's two sides in alerting-service: the admin APIs write entries to the
 * {@code audit} topic; every instance reads all of it (consumer function
 * {@code readAudit}, no consumer group, from the start of the retention) to answer
 * {@code GET /api/v1/audit} — for every service that writes there, not only this one.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AuditConfiguration.class);

	@Bean(destroyMethod = "close")
	AuditTrail auditTrail(StreamBridge bridge, ObjectMapper json, MeterRegistry registry,
			@Value("${spring.application.name}") String service,
			@Value("${millrace.audit.retry-interval:5s}") Duration retryInterval) {
		return new AuditTrail(bridge, json, service, registry, Clock.systemUTC(), retryInterval);
	}

	@Bean
	AuditLog auditLog(@Value("${millrace.audit.max-entries:100000}") int maxEntries) {
		return new AuditLog(maxEntries);
	}

	@Bean
	Consumer<Message<byte[]>> readAudit(AuditLog log, MeterRegistry registry) {
		Counter unreadable = Counter.builder("millrace.audit.unreadable")
			.description("Records of the audit topic that were not audit entries, skipped")
			.register(registry);
		return (message) -> {
			try {
				log.add(MillraceJson.mapper().readValue(message.getPayload(), AuditEntry.class));
			}
			catch (IOException | RuntimeException ex) {
				unreadable.increment();
				logger.warn("Skipped a record of the audit topic that is not an audit entry: {}", ex.toString());
			}
		};
	}

}
