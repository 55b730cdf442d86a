package io.millrace.alerting.catalog;

import io.millrace.alerting.AlertingProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The catalog the pipeline and the API share. */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

	@Bean
	AlertingCatalog alertingCatalog(AlertingProperties properties) {
		return ConfiguredCatalog.of(properties);
	}

}
