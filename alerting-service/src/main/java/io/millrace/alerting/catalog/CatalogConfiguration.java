package io.millrace.alerting.catalog;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.alerting.AlertingProperties;
import io.millrace.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The catalog the pipeline and the API share, in the store the checkpoints use (a local
 * directory, or the Azure container of {@code millrace.storage}).
 */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CatalogConfiguration.class);

	@Bean(destroyMethod = "close")
	StoredCatalog alertingCatalog(AlertingProperties properties, ObjectStore store, MeterRegistry registry) {
		SecretSealing sealing = SecretSealing.withKeys(properties.catalog().secretKeys());
		if (!sealing.seals()) {
			logger.warn("Subscriptions' signing secrets are stored unencrypted: configure "
					+ "millrace.alerting.catalog.secret-keys (docs/security.md) outside a local run");
		}
		StoredCatalog catalog = new StoredCatalog(store, ConfiguredDefinitions.rules(properties),
				ConfiguredDefinitions.subscriptions(properties), sealing, Clock.systemUTC());
		Gauge.builder("millrace.alerting.catalog.age", () -> catalog.age().toMillis() / 1000.0)
			.description("Seconds since the catalog (rules, subscriptions, silences) was last read from storage; "
					+ "grows while storage is unreachable and the last snapshot is served")
			.baseUnit("seconds")
			.register(registry);
		catalog.start(properties.catalog().refreshInterval());
		return catalog;
	}

}
