package io.millrace.alerting.catalog;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.storage.ObjectStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The catalog the pipeline and the API share, in the store the checkpoints use (a local
 * directory, or the Azure container of {@code millrace.storage}).
 */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

	@Bean(destroyMethod = "close")
	StoredCatalog alertingCatalog(AlertingProperties properties, ObjectStore store, MeterRegistry registry) {
		StoredCatalog catalog = new StoredCatalog(store, ConfiguredDefinitions.rules(properties),
				ConfiguredDefinitions.subscriptions(properties), Clock.systemUTC());
		Gauge.builder("millrace.alerting.catalog.age", () -> catalog.age().toMillis() / 1000.0)
			.description("Seconds since the catalog (rules, subscriptions, silences) was last read from storage; "
					+ "grows while storage is unreachable and the last snapshot is served")
			.baseUnit("seconds")
			.register(registry);
		catalog.start(properties.catalog().refreshInterval());
		return catalog;
	}

}
