package io.millrace.serving.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.alerts.AlertBoard;
import io.millrace.serving.store.WindowStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The live feed behind {@code GET /api/v1/stream}. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

	@Bean(destroyMethod = "close")
	LiveFeed liveFeed(WindowStore store, AlertBoard alerts, ServingProperties properties, MeterRegistry registry) {
		ServingProperties.Live live = properties.live();
		LiveFeed feed = new LiveFeed(store, alerts, live.heartbeat(), live.maxClients(), live.dispatchThreads());
		Gauge.builder("millrace.serving.live.streams", feed, LiveFeed::openStreams)
			.description("Server-Sent Events streams open")
			.register(registry);
		return feed;
	}

}
