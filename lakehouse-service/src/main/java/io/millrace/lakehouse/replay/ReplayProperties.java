package io.millrace.lakehouse.replay;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.replay.*}: re-publishing Bronze to a topic. Documented in
 * docs/configuration.md.
 *
 * @param allowedTopics the topics a replay may publish to; any other is refused
 * ({@code telemetry-raw} for reprocessing, {@code telemetry-replay} for a consumer of
 * one's own)
 * @param defaultRatePerSecond events per second when the request names no rate
 * @param maxRatePerSecond the highest rate a request may ask for, so that a replay leaves
 * room for live traffic
 * @param maxRange the longest time range one replay may cover
 * @param maxConcurrent replays running at once; more wait in the queue
 * @param batchSize events sent before waiting for the broker's acknowledgements
 * @param deliveryTimeout how long a batch may wait for its acknowledgements before the
 * replay fails
 * @param keepFinished finished replays kept for {@code GET} (the oldest are forgotten)
 */
@Validated
@ConfigurationProperties("millrace.lakehouse.replay")
public record ReplayProperties(@NotEmpty @DefaultValue( {
		"telemetry-raw", "telemetry-replay" }) List<String> allowedTopics,
		@Min(1) @DefaultValue("5000") int defaultRatePerSecond, @Min(1) @DefaultValue("20000") int maxRatePerSecond,
		@NotNull @DefaultValue("31d") Duration maxRange, @Min(1) @DefaultValue("2") int maxConcurrent,
		@Min(1) @DefaultValue("500") int batchSize, @NotNull @DefaultValue("30s") Duration deliveryTimeout,
		@Min(1) @DefaultValue("100") int keepFinished){
}
