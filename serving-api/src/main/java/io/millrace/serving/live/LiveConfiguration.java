package io.millrace.serving.live;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.serving.aggregates.ServingProperties;
import io.millrace.serving.alerts.AlertBoard;
import io.millrace.serving.store.WindowStore;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The live feed behind {@code GET /api/v1/stream}, and its tickets for browsers. */
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

	@Bean
	StreamTickets streamTickets(ServingProperties properties, MeterRegistry registry) {
		ServingProperties.Live live = properties.live();
		StreamTickets tickets = new StreamTickets(live.ticketValidity(), live.maxTickets(), Clock.systemUTC());
		Gauge.builder("millrace.serving.live.tickets", tickets, StreamTickets::outstanding)
			.description("Stream tickets issued and not redeemed yet (some may have expired)")
			.register(registry);
		return tickets;
	}

	/**
	 * Ahead of the security filter chain ({@code spring.security.filter.order}), which
	 * then finds the ticket's caller as if it had sent its key.
	 */
	@Bean
	FilterRegistrationBean<StreamTicketFilter> streamTicketFilter(StreamTickets tickets, ObjectMapper json) {
		FilterRegistrationBean<StreamTicketFilter> registration = new FilterRegistrationBean<>(
				new StreamTicketFilter(tickets, json));
		registration.addUrlPatterns(LiveController.STREAM_PATH);
		registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
		registration.setName("streamTickets");
		return registration;
	}

}
