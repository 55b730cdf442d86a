package io.millrace.serving.vitals;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the dashboard's vital signs come from: the other services' Prometheus scrapes.
 * Every property is documented in docs/configuration.md.
 *
 * @param sources Prometheus endpoints by the name of the service they belong to:
 * {@code ingest} (ingest rate), {@code processing} (watermark lag), {@code alerting}
 * (webhook failures); every source counts towards the consumer lag. None by default: the
 * vital signs then say they are not configured
 * @param interval how often every source is scraped
 * @param timeout how long one scrape may take
 */
@Validated
@ConfigurationProperties("millrace.serving.vitals")
public record VitalsProperties(@NotNull @DefaultValue Map<String, URI> sources,
		@NotNull @DefaultValue("5s") Duration interval, @NotNull @DefaultValue("2s") Duration timeout) {

}
