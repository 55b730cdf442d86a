package io.millrace.alerting.deliverylog;

import java.io.IOException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.model.json.MillraceJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The delivery log's read side: every instance reads all of {@code alerting-deliveries}
 * (consumer function {@code readDeliveryLog}, no consumer group, from the start of the
 * retention) into its {@link DeliveryLog}, and hands redelivery requests to the tasks.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryLogConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryLogConfiguration.class);

	@Bean
	DeliveryLog deliveryLog(AlertingProperties properties) {
		return new DeliveryLog(properties.deliveryLog().maxEntries());
	}

	@Bean
	RedeliveryInbox redeliveryInbox() {
		return new RedeliveryInbox();
	}

	@Bean
	Consumer<Message<byte[]>> readDeliveryLog(DeliveryLog log, RedeliveryInbox inbox, MeterRegistry registry) {
		Counter unreadable = Counter.builder("millrace.alerting.deliverylog.unreadable")
			.description("Records of alerting-deliveries that were not delivery records, skipped")
			.register(registry);
		return (message) -> {
			DeliveryRecord record;
			try {
				record = MillraceJson.mapper().readValue(message.getPayload(), DeliveryRecord.class);
			}
			catch (IOException | RuntimeException ex) {
				// Only alerting writes this topic; a bad record is a bug to see, not to
				// stop for.
				unreadable.increment();
				logger.warn("Skipped a record of the delivery log that is not a delivery record: {}", ex.toString());
				return;
			}
			log.apply(record);
			if (record.status() == DeliveryRecord.Status.REDELIVERY_REQUESTED) {
				inbox.offer(record);
			}
		};
	}

}
