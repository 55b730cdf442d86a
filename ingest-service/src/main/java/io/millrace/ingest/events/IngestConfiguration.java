package io.millrace.ingest.events;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

	@Bean
	IngestMetrics ingestMetrics(MeterRegistry registry) {
		return new IngestMetrics(registry);
	}

}
