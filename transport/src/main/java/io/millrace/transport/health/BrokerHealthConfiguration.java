package io.millrace.transport.health;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.cloud.stream.config.BindersHealthIndicatorAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Health component {@code broker}: the binders' own check (whether the broker answers),
 * polled in the background so that readiness probes answer at once even while the broker
 * is down. Readiness groups include {@code broker} instead of {@code binders}.
 */
@AutoConfiguration(after = BindersHealthIndicatorAutoConfiguration.class)
@ConditionalOnBean(name = "bindersHealthContributor")
public class BrokerHealthConfiguration {

	@Bean
	PolledHealth brokerHealthIndicator(@Qualifier("bindersHealthContributor") HealthContributor binders,
			@Value("${millrace.health.broker.interval:2s}") Duration interval,
			@Value("${millrace.health.broker.deadline:5s}") Duration deadline) {
		return new PolledHealth("broker", binders, interval, deadline, Clock.systemUTC());
	}

}
