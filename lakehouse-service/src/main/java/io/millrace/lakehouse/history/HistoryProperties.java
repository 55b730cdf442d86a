package io.millrace.lakehouse.history;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.history.*}: the bounds of one history read.
 *
 * @param maxRange the longest range of window starts one request may ask for
 * @param maxWindows the most windows one answer holds
 */
@Validated
@ConfigurationProperties("millrace.lakehouse.history")
public record HistoryProperties(@NotNull @DefaultValue("31d") Duration maxRange,
		@Min(1) @DefaultValue("100000") int maxWindows) {

}
