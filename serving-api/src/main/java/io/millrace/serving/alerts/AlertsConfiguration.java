package io.millrace.serving.alerts;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.transport.DeadLetterPublisher;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The alert board and the {@code receiveAlerts} consumer function that fills it from
 * {@code alerts}, read from the beginning of the topic's retention by every instance (no
 * group), like the aggregates.
 */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

	@Bean
	AlertBoard alertBoard(ServingProperties properties, MeterRegistry registry) {
		ServingProperties.Alerts alerts = properties.alerts();
		AlertBoard board = new AlertBoard(alerts.retention(), alerts.maxAlerts(), Clock.systemUTC());
		Gauge.builder("millrace.serving.alerts.firing", board, AlertBoard::firingCount)
			.description("Alerts firing now, as the alerts topic says")
			.register(registry);
		return board;
	}

	@Bean
	AlertsConsumer receiveAlerts(AlertBoard board, DeadLetterPublisher deadLetters,
			@Value("${spring.cloud.stream.bindings.receiveAlerts-in-0.destination:alerts}") String source,
			MeterRegistry registry) {
		return new AlertsConsumer(board, deadLetters, source, registry);
	}

}
