package io.millrace.serving.alerts;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.serving.aggregates.RebuildStatus;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.transport.DeadLetterPublisher;
import io.millrace.transport.StartupCatchUp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The alert board and the {@code receiveAlerts} consumer function that fills it from
 * {@code alerts}, read from the beginning of the topic's retention by every instance (no
 * group), like the aggregates; and health component {@code alerts}: readiness waits until
 * the board holds what the topic held at start, by the store's rebuild rule
 * ({@code millrace.serving.rebuild}), so that a new replica never answers "nothing is
 * firing" while it is still reading.
 */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

	static final String BINDING = "receiveAlerts-in-0";

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
	StartupCatchUp alertsCatchUp() {
		return new StartupCatchUp(BINDING);
	}

	@Bean
	RebuildStatus alertsHealthIndicator(AlertBoard board, StartupCatchUp alertsCatchUp, ServingProperties properties,
			MeterRegistry registry) {
		RebuildStatus status = new RebuildStatus(alertsCatchUp, properties.rebuild().mode(),
				properties.rebuild().quietPeriod(), System::nanoTime,
				() -> Map.of("alerts", board.size(), "firing", board.firingCount()));
		Gauge.builder("millrace.serving.alerts.rebuilt", status, (s) -> s.isRebuilt() ? 1 : 0)
			.description("1 once the alert board holds what the alerts topic held at start (readiness waits for it)")
			.register(registry);
		return status;
	}

	@Bean
	AlertsConsumer receiveAlerts(AlertBoard board, StartupCatchUp alertsCatchUp, RebuildStatus alertsHealthIndicator,
			DeadLetterPublisher deadLetters,
			@Value("${spring.cloud.stream.bindings.receiveAlerts-in-0.destination:alerts}") String source,
			MeterRegistry registry) {
		return new AlertsConsumer(board, alertsCatchUp, alertsHealthIndicator, deadLetters, source, registry);
	}

}
