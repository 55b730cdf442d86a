package io.millrace.serving.vitals;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The vital signs behind {@code GET /api/v1/vitals}. */
@Configuration(proxyBeanMethods = false)
class VitalsConfiguration {

	@Bean
	VitalSigns vitalSigns(VitalsProperties properties) {
		return new VitalSigns(properties.sources());
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	VitalsPoller vitalsPoller(VitalSigns signs, VitalsProperties properties) {
		return new VitalsPoller(signs, properties.interval(), properties.timeout(), Clock.systemUTC());
	}

}
